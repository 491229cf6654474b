package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hpsweep.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up under a running sweep, for real: a small tmpfs (so these tests need root,
 * and are skipped where mount is refused) filled by a file of zeros while the sweep runs in a
 * child JVM. Freeing the space and resuming must give the results of a sweep that never met a
 * full disk.
 */
class DiskFullTest {
    /**
     * 2 trials x 12 epochs, both at once, checkpoints every 2 epochs. The disk fills after epoch 2,
     * so the trials must have epochs left when the first write fails (with 4 epochs, fast trials
     * sometimes finished before the stop reached them).
     */
    static final String SPACE = """
        name: full
        seed: 5
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 12
        fixed: {optimizer: adam, lr: 0.01, batch_size: 1024, depth: 1}
        search: {strategy: grid, params: [{width: [8, 16]}]}
        execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 2, keep_last: 2}
        """;
    static final String NO_SPACE = "No space left on device";

    @TempDir
    static Path baselineDir;
    static TreeMap<String, List<String>> baseline;

    @TempDir
    Path dir;
    private final List<Path> mounts = new ArrayList<>();

    /** The sweep run once without a full disk (only the tests that compare run it). */
    static synchronized TreeMap<String, List<String>> baseline() throws Exception {
        if (baseline == null) {
            Files.writeString(baselineDir.resolve("full.yaml"), SPACE);
            Result r = hpsweep(baselineDir.resolve("logs"), baselineDir.resolve("checkpoints"), "run",
                baselineDir.resolve("full.yaml").toString());
            assertEquals(0, r.code(), r.out() + r.err());
            baseline = SweepProcess.results(baselineDir.resolve("logs/full"));
        }
        return baseline;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            new ProcessBuilder("umount", "-l", m.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    record Result(int code, String out, String err) {
    }

    static Result hpsweep(Path logs, Path checkpoints, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--logs", logs.toString(), "--checkpoints", checkpoints.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(full.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A tmpfs of {@code size} at {@code at}; the test is skipped where this is not allowed. */
    Path tmpfs(Path at, String size) throws Exception {
        Files.createDirectories(at);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
            .redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs here: " + why);
        mounts.add(at);
        return at;
    }

    /** Fills the file system of {@code dir} to the last byte; deleting the returned file frees it again. */
    static Path fill(Path dir) throws IOException {
        Path filler = dir.resolve("filler");
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains(NO_SPACE)) {
                throw full;
            }
        }
        byte[] one = new byte[1];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < block.length; i++) {
                out.write(one);
                out.flush();
            }
        } catch (IOException full) {
            // the last partial block is taken too
        }
        return filler;
    }

    static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** Runs the sweep in a child JVM, fills {@code disk} once an epoch 2 is journalled, and waits for the exit. */
    private String runUntilTheDiskFills(Path disk, Path logs, Path checkpoints) throws Exception {
        Files.writeString(dir.resolve("full.yaml"), SPACE);
        Process p = SweepProcess.start(dir, "child.log", "run", "full.yaml", "--logs", logs.toString(),
            "--checkpoints", checkpoints.toString());
        try {
            assertTrue(SweepProcess.awaitText(logs.resolve("full/journal.jsonl"), "\"epoch\":2,", 120_000),
                "no epoch 2 was journalled: " + Files.readString(dir.resolve("child.log")));
            Path filler = fill(disk);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the sweep did not end on a full disk");
            String out = Files.readString(dir.resolve("child.log"));
            assertEquals(1, p.exitValue(), out);
            Files.delete(filler);
            return out;
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** The sweep's own error line: once, naming a file of the sweep and the OS's reason, with no stack trace. */
    private static void assertOneClearError(String out, Path under) {
        List<String> errors = out.lines().filter(l -> l.startsWith("hpsweep: error:")).toList();
        assertEquals(1, errors.size(), out);
        assertTrue(errors.get(0).contains(under.toString()) && errors.get(0).contains(NO_SPACE), errors.get(0));
        assertTrue(errors.get(0).contains("hpsweep resume full"), errors.get(0));
        assertFalse(out.contains("\tat ") || out.contains("see the log above"), out);
    }

    @Test
    void aFullLogsDiskStopsTheSweepWithOneClearErrorAndResumeAfterFreeingItGivesTheUninterruptedResults()
            throws Exception {
        Path logs = tmpfs(dir.resolve("logs"), "2m");
        Path checkpoints = dir.resolve("checkpoints");
        String out = runUntilTheDiskFills(logs, logs, checkpoints);

        assertOneClearError(out, logs.resolve("full"));
        // Both trials were running: each is interrupted (checkpointed on the disk that has room), none failed.
        assertTrue(out.contains("trial-0001 INTERRUPTED") && out.contains("trial-0002 INTERRUPTED"), out);
        assertFalse(out.contains("FAILED"), out);
        assertEquals(List.of(), tempFiles(dir));

        Result resumed = hpsweep(logs, checkpoints, "resume", "full");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertEquals(baseline(), SweepProcess.results(logs.resolve("full")));
    }

    @Test
    void aDiskFullUnderLogsAndCheckpointsAlikeLeavesNoTempFileAndResumeGivesTheUninterruptedResults()
            throws Exception {
        Path disk = tmpfs(dir.resolve("disk"), "2m");
        Path logs = disk.resolve("logs");
        Path checkpoints = disk.resolve("checkpoints");
        String out = runUntilTheDiskFills(disk, logs, checkpoints);

        assertOneClearError(out, disk);
        assertTrue(out.contains("trial-0001 INTERRUPTED") && out.contains("trial-0002 INTERRUPTED"), out);
        assertFalse(out.contains("FAILED"), out);
        assertEquals(List.of(), tempFiles(dir));

        Result resumed = hpsweep(logs, checkpoints, "resume", "full");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertEquals(baseline(), SweepProcess.results(logs.resolve("full")));
    }

    @Test
    void aFullCheckpointDiskIsNamedAsTheCauseWarnedAboutAtTheEndAndTheSweepExitsNonZero() throws Exception {
        Path checkpoints = tmpfs(dir.resolve("checkpoints"), "1m");
        fill(checkpoints);
        Files.writeString(dir.resolve("tiny.yaml"), """
            name: tiny
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 2
            fixed: {batch_size: 4096, depth: 1, width: 4}
            search: {strategy: grid, params: [{lr: [0.01]}]}
            execution: {checkpoint_every: 1}
            """);
        Result r = hpsweep(dir.resolve("logs"), checkpoints, "run", dir.resolve("tiny.yaml").toString());

        assertEquals(1, r.code(), r.out() + r.err());
        String error = r.err().lines().filter(l -> l.startsWith("hpsweep: error:")).findFirst().orElse(r.err());
        assertTrue(error.startsWith("hpsweep: error: every checkpoint of this run failed (2): ")
            && error.contains(checkpoints.resolve("tiny").toString()) && error.endsWith(NO_SPACE), error);
        List<String> failures = Files.readAllLines(dir.resolve("logs/tiny/journal.jsonl")).stream()
            .filter(l -> l.contains("\"checkpoint_failed\"")).toList();
        assertEquals(2, failures.size(), String.join("\n", failures));
        assertTrue(failures.stream().allMatch(l -> l.contains(NO_SPACE)), String.join("\n", failures));
        List<String> log = Files.readAllLines(dir.resolve("logs/tiny/leaderboard.log"));
        assertTrue(log.get(log.size() - 1).startsWith("=== sweep ended:"), String.join("\n", log));
        assertTrue(log.get(log.size() - 2).startsWith("!!! WARNING: every checkpoint of this run failed (2 of 2): ")
            && log.get(log.size() - 2).contains(NO_SPACE), String.join("\n", log));
        assertTrue(r.out().contains("!!! WARNING: every checkpoint of this run failed"), r.out());
    }
}
