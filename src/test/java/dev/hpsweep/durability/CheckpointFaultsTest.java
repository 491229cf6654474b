package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.cli.Main;
import dev.hpsweep.durability.DurabilityTest.Result;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that are there but must not be used as they are: not restorable, or another sweep's. */
class CheckpointFaultsTest {
    /** One trial of 6 epochs, a checkpoint after each, the newest two kept. */
    static final String SPACE = """
        name: %s
        seed: 3
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 6
        fixed: {optimizer: adam, batch_size: 1024, depth: 1, width: 8}
        search: {strategy: grid, params: [{lr: [0.01]}]}
        execution: {max_concurrent_trials: 1, checkpoint_every: 1, keep_last: 2}
        """;

    @TempDir
    static Path baselineDir;
    static TreeMap<String, List<String>> baseline;

    @TempDir
    Path dir;

    static synchronized TreeMap<String, List<String>> baseline() throws Exception {
        if (baseline == null) {
            Files.writeString(baselineDir.resolve("restore.yaml"), SPACE.formatted("restore"));
            Result r = DurabilityTest.hpsweep(baselineDir, "run", "restore.yaml");
            assertEquals(0, r.code(), r.out() + r.err());
            baseline = SweepProcess.results(baselineDir.resolve("logs/restore"));
        }
        return baseline;
    }

    private static List<Path> checkpointsNewestFirst(Path trialDir) throws Exception {
        try (Stream<Path> files = Files.list(trialDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ckpt"))
                .sorted(Comparator.reverseOrder()).toList();
        }
    }

    /** Keeps checkpoint.json and its CRCs, but the trainer state is of a format the trainer does not read. */
    private static void replaceTrainerState(Path checkpoint) throws Exception {
        byte[] state;
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            state = zip.getInputStream(zip.getEntry("checkpoint.json")).readAllBytes();
        }
        try (OutputStream file = Files.newOutputStream(checkpoint); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("checkpoint.json"));
            zip.write(state);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("trainer.bin"));
            DataOutputStream data = new DataOutputStream(zip);
            data.writeInt(999);
            data.write(new byte[64]);
            data.flush();
            zip.closeEntry();
        }
    }

    @Test
    void anIntactCheckpointThatCannotBeRestoredGivesWayToThePreviousOneAndTheResultsAreTheUninterruptedOnes()
            throws Exception {
        Files.writeString(dir.resolve("restore.yaml"), SPACE.formatted("restore"));
        Path journal = dir.resolve("logs/restore/journal.jsonl");
        Process p = SweepProcess.start(dir, "child.log", "run", "restore.yaml");
        assertTrue(SweepProcess.awaitText(journal, "\"epochs_done\":3", 120_000), "no epoch-3 checkpoint");
        p.destroyForcibly().waitFor();
        assertEquals(0, SweepProcess.count(journal, "\"trial_finished\""), "the trial ended before the kill");
        List<Path> checkpoints = checkpointsNewestFirst(dir.resolve("checkpoints/restore/trial-0001"));
        Path newest = checkpoints.get(0);
        Path previous = checkpoints.get(1);
        replaceTrainerState(newest);

        Result r = DurabilityTest.hpsweep(dir, "resume", "restore");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(newest.getFileName() + " is intact but cannot be restored (unknown DL4J checkpoint"
            + " format 999"), r.out());
        assertTrue(r.out().contains("trial-0001: continues from " + previous.getFileName()), r.out());
        assertEquals(baseline(), SweepProcess.results(dir.resolve("logs/restore")));
    }

    @Test
    void aSweepOfTheSameNameUnderOtherLogsIsRefusedTheCheckpointsAnotherProcessIsUsing() throws Exception {
        Files.writeString(dir.resolve("shared.yaml"), SPACE.formatted("shared"));
        Path checkpoints = dir.resolve("checkpoints/shared");
        Process first = SweepProcess.start(dir, "first.log", "run", "shared.yaml", "--logs", "logs-first");
        try {
            assertTrue(SweepProcess.awaitText(dir.resolve("logs-first/shared/journal.jsonl"), "\"type\":\"checkpoint\"",
                120_000), "no checkpoint was journalled");
            // The same sweep under other logs but the same checkpoints; --fresh would move the first's aside.
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new String[] {"run", dir.resolve("shared.yaml").toString(), "--fresh",
                "--logs", dir.resolve("logs-second").toString(), "--checkpoints", dir.resolve("checkpoints").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));

            assertEquals(1, code, out + "\n" + err);
            assertTrue(err.toString().contains(checkpoints.toString()) && err.toString().contains(
                "in use by another process (pid " + first.pid()), err.toString());
            assertTrue(Files.isDirectory(checkpoints.resolve("trial-0001")), "the first sweep's checkpoints were moved");
            assertTrue(first.isAlive(), "the first sweep did not survive");
        } finally {
            first.destroyForcibly().waitFor();
        }
    }
}
