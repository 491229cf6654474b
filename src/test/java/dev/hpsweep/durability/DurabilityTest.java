package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.hpsweep.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills, signals and damaged files against real sweeps in child JVMs. The reference is the same
 * sweep run once without interruption: after any interruption and resume, every trial's
 * metrics.jsonl and the leaderboard.csv (timings aside) must be equal to it, bit for bit.
 */
class DurabilityTest {
    /** 3 trials x 5 epochs, checkpoints every 2 epochs, so a resume sometimes re-trains an epoch. */
    static final String SPACE = """
        name: durable
        seed: 11
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 5
        fixed: {optimizer: adam, lr: 0.01, batch_size: 1024, batch_norm: true}
        search:
          strategy: grid
          params:
            - zip: {depth: [1, 2, 1], width: [8, 8, 16]}
        execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 2, keep_last: 2}
        """;

    @TempDir
    static Path baselineDir;
    static TreeMap<String, List<String>> baseline;

    @TempDir
    Path dir;

    @BeforeAll
    static void runUninterrupted() throws Exception {
        Files.writeString(baselineDir.resolve("durable.yaml"), SPACE);
        assertEquals(0, hpsweep(baselineDir, "run", "durable.yaml").code());
        baseline = SweepProcess.results(baselineDir.resolve("logs/durable"));
        assertEquals(4, baseline.size());
    }

    record Result(int code, String out, String err) {
    }

    /** In-process, with logs/ and checkpoints/ under {@code dir}. */
    static Result hpsweep(Path dir, String... args) {
        String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--logs";
        full[args.length + 1] = dir.resolve("logs").toString();
        full[args.length + 2] = "--checkpoints";
        full[args.length + 3] = dir.resolve("checkpoints").toString();
        if (args[0].equals("run")) {
            full[1] = dir.resolve(args[1]).toString();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(full, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path journal() {
        return dir.resolve("logs/durable/journal.jsonl");
    }

    private Path leaderboardLog() {
        return dir.resolve("logs/durable/leaderboard.log");
    }

    @Test
    void killNineAtRandomMomentsThenResumeUntilDoneGivesTheUninterruptedResults() throws Exception {
        Files.writeString(dir.resolve("durable.yaml"), SPACE);
        int kills = SweepProcess.killAndResumeUntilDone(dir, "durable", new Random(20261125));
        assertTrue(kills >= 2, "the sweep finished before it could be killed twice");
        String log = Files.readString(leaderboardLog());
        assertTrue(log.trim().lines().reduce((a, b) -> b).orElseThrow().startsWith("=== sweep ended:"), log);
        assertEquals(baseline, SweepProcess.results(dir.resolve("logs/durable")), "after " + kills + " kills");
    }

    @Test
    void sigtermEndsRunningTrialsInterruptedWithinSecondsAndResumeFinishesThemExactly() throws Exception {
        Files.writeString(dir.resolve("durable.yaml"), SPACE);
        Process p = SweepProcess.start(dir, "child.log", "run", "durable.yaml");
        assertTrue(SweepProcess.awaitText(leaderboardLog(), "  epoch 2/5", 120_000), "no epoch was logged");
        long signalled = System.nanoTime();
        p.destroy();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "hpsweep did not exit within 15 s of SIGTERM");
        double seconds = (System.nanoTime() - signalled) / 1e9;
        assertTrue(seconds < 10, "took " + seconds + " s to stop");

        List<String> ends = Files.readAllLines(journal()).stream().filter(l -> l.contains("\"trial_finished\"")).toList();
        assertTrue(ends.stream().anyMatch(l -> l.contains("\"INTERRUPTED\"")), String.join("\n", ends));
        assertTrue(ends.stream().noneMatch(l -> l.contains("\"FAILED\"")), String.join("\n", ends));
        assertEquals(1, SweepProcess.count(journal(), "\"sweep_interrupted\""));
        assertTrue(Files.readString(leaderboardLog()).contains("=== sweep interrupted: durable"));

        Result resumed = hpsweep(dir, "resume", "durable");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertEquals(baseline, SweepProcess.results(dir.resolve("logs/durable")));
    }

    @Test
    void aTornJournalTailAndADamagedLatestCheckpointAreReportedAndSurvived() throws Exception {
        Files.writeString(dir.resolve("durable.yaml"), SPACE);
        Process p = SweepProcess.start(dir, "child.log", "run", "durable.yaml");
        assertTrue(SweepProcess.awaitText(journal(), "\"epochs_done\":4", 120_000), "no epoch-4 checkpoint");
        p.destroyForcibly().waitFor();
        // A write cut short by the kill: half a record, no newline.
        Files.writeString(journal(), "{\"seq\":999,\"type\":\"epo", StandardOpenOption.APPEND);
        // The newest checkpoint of the first trial damaged in the middle, and a temp file left by a killed write.
        Path ckptDir = dir.resolve("checkpoints/durable/trial-0001");
        Path newest;
        try (Stream<Path> files = Files.list(ckptDir)) {
            newest = files.filter(f -> f.toString().endsWith(".ckpt")).max(Comparator.naturalOrder()).orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            raf.write(new byte[256]);
        }
        Files.writeString(ckptDir.resolve(".epoch-0009.ckpt123.tmp"), "partial");

        Result resumed = hpsweep(dir, "resume", "durable");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("was torn"), resumed.out());
        assertTrue(resumed.out().contains(newest.getFileName() + " is unreadable"), resumed.out());
        assertEquals(baseline, SweepProcess.results(dir.resolve("logs/durable")));
    }

    @Test
    void aSecondProcessOnTheSameSweepIsRefusedNamingTheHolderAndTheLockDiesWithIt() throws Exception {
        Files.writeString(dir.resolve("durable.yaml"), SPACE);
        Process p = SweepProcess.start(dir, "child.log", "run", "durable.yaml");
        try {
            assertTrue(SweepProcess.awaitText(leaderboardLog(), "  epoch 1/5", 120_000), "no epoch was logged");
            Result second = hpsweep(dir, "resume", "durable");
            assertEquals(1, second.code(), second.out() + second.err());
            assertTrue(second.err().contains("in use by another process (pid " + p.pid()), second.err());
        } finally {
            p.destroyForcibly().waitFor();
        }
        Result after = hpsweep(dir, "resume", "durable");
        assertEquals(0, after.code(), after.out() + after.err());
    }

    @Test
    void resumingAFinishedSweepIsANoOp() throws Exception {
        Path journal = baselineDir.resolve("logs/durable/journal.jsonl");
        byte[] before = Files.readAllBytes(journal);
        Result r = hpsweep(baselineDir, "resume", "durable");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("already finished; nothing to do"), r.out());
        assertArrayEquals(before, Files.readAllBytes(journal));
    }

    private void tinySweep(String name, String extra) throws Exception {
        SweepProcess.tinySweep(dir, name, extra);
    }

    @Test
    void resumeRefusesAChangedSearchSpaceNamingItUnlessForced() throws Exception {
        tinySweep("changing", "");
        assertEquals(0, hpsweep(dir, "run", "changing.yaml").code());
        Files.writeString(dir.resolve("changing.yaml"), "# an edit\n", StandardOpenOption.APPEND);
        Result refused = hpsweep(dir, "resume", "changing");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("the search-space file " + dir.resolve("changing.yaml") + " changed"),
            refused.err());
        assertEquals(0, hpsweep(dir, "resume", "changing", "--force").code());
    }

    @Test
    void aCorruptRecordInTheMiddleOfTheJournalStopsResumeWithItsLineNumber() throws Exception {
        tinySweep("corrupt", "");
        assertEquals(0, hpsweep(dir, "run", "corrupt.yaml").code());
        Path journal = dir.resolve("logs/corrupt/journal.jsonl");
        List<String> lines = Files.readAllLines(journal);
        lines.set(2, lines.get(2).replace("\"trial\"", "\"trail\""));
        Files.write(journal, lines);
        Result r = hpsweep(dir, "resume", "corrupt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("journal.jsonl:3: corrupt journal record"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aTrialWithANonFiniteLossOrNativeOutOfMemoryFailsAloneAndRetryFailedRerunsIt() throws Exception {
        Files.writeString(dir.resolve("failing.yaml"), """
            name: failing
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 2
            fixed: {batch_size: 4096, optimizer: sgd, momentum: 0.0}
            search:
              strategy: grid
              params:
                - zip: {lr: [1.0e30, 0.01, 0.01], width: [8, 100000, 8], depth: [1, 3, 1]}
            execution: {max_concurrent_trials: 1}
            """);
        Result r = hpsweep(dir, "run", "failing.yaml");
        assertEquals(0, r.code(), r.out() + r.err());
        String journal = Files.readString(dir.resolve("logs/failing/journal.jsonl"));
        List<String> ends = journal.lines().filter(l -> l.contains("\"trial_finished\"")).toList();
        assertTrue(ends.get(0).contains("\"FAILED\"") && ends.get(0).contains("non-finite"), ends.get(0));
        assertTrue(ends.get(1).contains("\"FAILED\"") && ends.get(1).contains("out of memory"), ends.get(1));
        assertTrue(ends.get(2).contains("\"COMPLETED\""), ends.get(2));

        Result retry = hpsweep(dir, "resume", "failing", "--retry-failed");
        // Both failures are deterministic, so every retried trial fails again: exit code 1.
        assertEquals(1, retry.code(), retry.out() + retry.err());
        String after = Files.readString(dir.resolve("logs/failing/journal.jsonl"));
        assertEquals(2, after.lines().filter(l -> l.contains("\"trial_started\"") && l.contains("trial-0001")).count());
        assertEquals(1, after.lines().filter(l -> l.contains("\"trial_started\"") && l.contains("trial-0003")).count());
    }
}
