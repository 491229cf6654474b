package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.journal.SweepLock;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result hpsweep(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void validatePrintsTheSevenPairedTrialsOfTheQuickstart() {
        Result r = hpsweep("validate", "search-spaces/quickstart.yaml");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sweep 'quickstart', 7 trials"), r.out());
        assertTrue(r.out().contains("trial-0007"), r.out());
        assertFalse(r.out().contains("trial-0008"), r.out());
    }

    @Test
    void validateShowsTpesRandomStartupTrialsAndSaysTheRestAreProposedAdaptively() {
        Result r = hpsweep("validate", "search-spaces/tpe.yaml");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sweep 'tpe', 32 trials"), r.out());
        assertTrue(r.out().contains("the first 8 are drawn at random (below), the rest are proposed adaptively"), r.out());
        assertTrue(r.out().contains("trial-0008"), r.out());
        assertFalse(r.out().contains("trial-0009"), r.out());
    }

    @Test
    void validateDescribesCombinedEarlyStoppingRules() {
        Result r = hpsweep("validate", "search-spaces/asha-random.yaml");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("early stopping: divergence (warmup_epochs 1, max_train_loss 3), then asha "
            + "(grace_period 1, reduction_factor 3); the first to stop wins"), r.out());
    }

    @Test
    void aBadSearchSpaceFileExitsWithCode2AndNamesFileLineAndKeyWithoutAStackTrace() throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, """
            name: typo
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epoch: 5
            search: {strategy: grid, params: [{lr: [0.1]}]}
            """);
        Result r = hpsweep("run", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(file + ":5:1"), r.err());
        assertTrue(r.err().contains("epoch"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aMissingSearchSpaceFileExitsWithCode2() {
        Result r = hpsweep("validate", dir.resolve("nope.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.yaml"), r.err());
    }

    @Test
    void aWorkerGivenAKeyStoreThatDoesNotExistExits2NamingItBeforeJoining() {
        Path missing = dir.resolve("missing.p12");
        Result r = hpsweep("worker", "--join", "127.0.0.1:1", "--tls-keystore", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("hpsweep: error: --tls-keystore: cannot read " + missing + ": No such file or directory",
            r.err().strip());
    }

    /** In a child JVM: this one's environment may hold the variable and cannot be changed. */
    @Test
    void aWorkerGivenAKeyStoreWithoutHpsweepTlsPasswordSetExits2NamingTheVariable() throws Exception {
        Path keyStore = Files.writeString(dir.resolve("sweep.p12"), "never opened: the password comes first");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "worker", "--join", "127.0.0.1:1", "--tls-keystore", keyStore.toString())
            .redirectErrorStream(true);
        pb.environment().remove("HPSWEEP_TLS_PASSWORD");
        pb.environment().remove("HPSWEEP_DEBUG");
        Process p = pb.start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), output);
            assertEquals(2, p.exitValue(), output);
            assertEquals("hpsweep: error: --tls-keystore: the password of " + keyStore + " must be in the environment"
                + " variable HPSWEEP_TLS_PASSWORD, but it is not set", output.strip());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aKeyStoreWithoutClusterExits2() throws Exception {
        Path keyStore = Files.writeString(dir.resolve("sweep.p12"), "never opened");
        Result r = hpsweep("run", "search-spaces/quickstart.yaml", "--logs", dir.resolve("logs").toString(),
            "--checkpoints", dir.resolve("checkpoints").toString(), "--tls-keystore", keyStore.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("hpsweep: error: --tls-keystore: --tls-keystore needs --cluster HOST:PORT", r.err().strip());
    }

    @Test
    void anUnknownSubcommandExitsWithCode2() {
        assertEquals(2, hpsweep("frobnicate").code());
    }

    @Test
    void tailPrintsTheLogAndReturnsAtTheSweepsEndLine() throws Exception {
        Path log = dir.resolve("logs/s1/leaderboard.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== sweep started: s1\nline 1\n=== sweep ended: s1, 1 trials\n");
        Result r = hpsweep("tail", "s1", "--logs", dir.resolve("logs").toString());
        assertEquals(0, r.code());
        assertEquals(3, r.out().lines().count(), r.out());
    }

    @Test
    void tailKeepsFollowingWhenASweepWasResumedAfterItsEndLine() throws Exception {
        Path log = dir.resolve("logs/s2/leaderboard.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== sweep ended: s2\n=== sweep started: s2 again\n");
        // The resumed run holds the sweep, as a real one does, so tail knows it is alive.
        SweepLock resumed = SweepLock.acquire("s2", log.getParent());
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(400);
                Files.writeString(log, "epoch line\n=== sweep ended: s2 for good\n",
                    java.nio.file.StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Result r = hpsweep("tail", "s2", "--logs", dir.resolve("logs").toString(), "--poll-ms", "50");
        writer.join();
        resumed.close();
        assertEquals(0, r.code());
        assertTrue(r.out().contains("for good"), r.out());
    }

    @Test
    void tailOfASweepThatDoesNotExistExits2NamingTheSweepsThere() throws Exception {
        for (String sweep : new String[] {"beta", "alpha"}) {
            Files.createDirectories(dir.resolve("logs").resolve(sweep));
            Files.writeString(dir.resolve("logs").resolve(sweep).resolve("journal.jsonl"), "");
        }

        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> hpsweep("tail", "gamma", "--logs", dir.resolve("logs").toString(), "--poll-ms", "50"));

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no sweep 'gamma' in " + dir.resolve("logs") + "; sweeps there: alpha, beta"),
            r.err());
    }

    @Test
    void tailOfASweepWhoseLogEndsWithoutAnEndLineAndThatNoProcessHoldsSaysItIsNotRunning() throws Exception {
        Path log = dir.resolve("logs/dead/leaderboard.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== sweep started: dead\nepoch line\n");

        Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> hpsweep("tail", "dead", "--logs", dir.resolve("logs").toString(), "--poll-ms", "50"));

        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().lines().reduce((a, b) -> b).orElseThrow().startsWith("hpsweep: sweep 'dead' is not running"
            + ": no process holds"), r.out());
        assertTrue(r.out().contains("continue it with: bin/hpsweep resume dead"), r.out());
    }

    @Test
    void anErrorSuchAsAStackOverflowIsOneLineAndExitCode1() throws Exception {
        Path file = dir.resolve("deep.json");
        Files.writeString(file, "{\"name\": " + "[".repeat(999) + "]".repeat(999) + "}");
        Result[] result = new Result[1];
        // A small stack, so that nesting the parser still allows overflows it.
        Thread small = new Thread(null, () -> result[0] = hpsweep("validate", file.toString()), "small-stack", 160 * 1024);
        Throwable[] escaped = new Throwable[1];
        small.setUncaughtExceptionHandler((t, e) -> escaped[0] = e);
        small.start();
        small.join(60_000);

        assertEquals(null, escaped[0], "escaped Main.execute");
        assertEquals(1, result[0].code(), result[0].err());
        assertEquals("hpsweep: error: out of stack (StackOverflowError): something was nested or recursed too deeply; "
            + "HPSWEEP_DEBUG=1 shows where", result[0].err().strip());
    }

    @Test
    void validateNamesTheClassesOfAnImageDataSetFromItsFolders() throws Exception {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (String split : new String[] {"train", "validation", "test"}) {
            for (String className : new String[] {"dog", "cat"}) {
                Path folder = Files.createDirectories(dir.resolve("pics").resolve(split).resolve(className));
                ImageIO.write(image, "png", folder.resolve("a.png").toFile());
            }
        }
        Path file = dir.resolve("pics.yaml");
        Files.writeString(file, """
            name: pics
            dataset: {images: {train: pics/train, validation: pics/validation, test: pics/test}}
            model: {type: xgboost}
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            search: {strategy: grid, params: [{max_depth: [2]}]}
            """);

        Result r = hpsweep("validate", file.toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(1x2x3, 2 classes, 2/2/2 rows)"), r.out());
        assertTrue(r.out().contains("\nclasses: cat, dog\n"), r.out());
    }
}
