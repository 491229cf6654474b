package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.TrialSpec;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism across checkpoints is exact: a trainer restored from a checkpoint (whole-epoch or
 * mid-epoch) reports bit-identical metrics for the following epochs to one that never stopped,
 * because weights, optimizer state and the epoch cursor are saved as bits and each epoch's data
 * order is a function of (seed, trial, epoch).
 */
class CheckpointResumeTest {
    static final Dataset DATA = EmbeddedDatasets.load("europe-cities");

    @TempDir
    Path dir;

    private TrialSpec trial() throws Exception {
        return trial("{batch_norm: true, batch_size: 1024, depth: 2, width: 8}");
    }

    private TrialSpec trial(String fixed) throws Exception {
        return TestTrials.expand(dir, 3, fixed, "{lr: [0.01]}").get(0);
    }

    private static List<Map<String, Double>> straight(TrialSpec trial) {
        List<Map<String, Double>> out = new ArrayList<>();
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            for (int e = 1; e <= 3; e++) {
                out.add(t.runEpoch(e).metrics());
            }
        }
        return out;
    }

    @Test
    void aTrainerRestoredFromAnEpochCheckpointContinuesBitIdentically() throws Exception {
        TrialSpec trial = trial();
        List<Map<String, Double>> expected = straight(trial);
        CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 2);
        try (Dl4jTrainer first = TestTrainers.mlp(trial, DATA, 42)) {
            first.runEpoch(1);
            first.runEpoch(2);
            store.write(new CheckpointStore.Position(2, 0), first, "{}");
        }
        CheckpointStore.Loaded loaded = store.latestValid(3, msg -> { }).orElseThrow();
        try (Dl4jTrainer second = TestTrainers.mlp(trial, DATA, 42)) {
            CheckpointStore.restore(loaded.file(), second);
            assertEquals(expected.get(2), second.runEpoch(3).metrics());
        }
    }

    @Test
    void anEpochInterruptedAtABatchBoundaryResumesFromTheNextBatchBitIdentically() throws Exception {
        TrialSpec trial = trial();
        List<Map<String, Double>> expected = straight(trial);
        CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 2);
        try (Dl4jTrainer first = TestTrainers.mlp(trial, DATA, 42)) {
            first.runEpoch(1);
            AtomicInteger polls = new AtomicInteger();
            assertThrows(TrainingInterruptedException.class, () -> first.runEpoch(2, () -> polls.incrementAndGet() > 20));
            store.write(new CheckpointStore.Position(1, 20), first, "{}");
        }
        try (Dl4jTrainer second = TestTrainers.mlp(trial, DATA, 42)) {
            CheckpointStore.restore(store.list().get(0), second);
            Map<String, Double> epoch2 = second.runEpoch(2).metrics();
            assertEquals(expected.get(1), epoch2);
            assertEquals(expected.get(2), second.runEpoch(3).metrics());
        }
    }

    @Test
    void anInterruptedEpochKeepsItsBatchLossesAndGradientNormsExact() throws Exception {
        TrialSpec trial = trial("{batch_norm: true, batch_size: 1024, depth: 2, width: 8, record_batch_loss: true,"
            + " record_grad_layers: [0, 2], grad_clip_norm: 8.0, lr_schedule: cosine}");
        List<EpochResult> expected = new ArrayList<>();
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            for (int e = 1; e <= 2; e++) {
                expected.add(t.runEpoch(e));
            }
        }
        CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 2);
        try (Dl4jTrainer first = TestTrainers.mlp(trial, DATA, 42)) {
            first.runEpoch(1);
            AtomicInteger polls = new AtomicInteger();
            assertThrows(TrainingInterruptedException.class, () -> first.runEpoch(2, () -> polls.incrementAndGet() > 17));
            store.write(new CheckpointStore.Position(1, 17), first, "{}");
        }
        try (Dl4jTrainer second = TestTrainers.mlp(trial, DATA, 42)) {
            CheckpointStore.restore(store.list().get(0), second);
            EpochResult resumed = second.runEpoch(2);
            assertEquals(expected.get(1).metrics(), resumed.metrics());
            assertEquals(expected.get(1).diagnostics(), resumed.diagnostics());
            assertEquals(48, resumed.diagnostics().get(Dl4jTrainer.BATCH_LOSS).size());
        }
    }

    @Test
    void aCorruptLatestCheckpointFallsBackToThePreviousOneAndSaysSo() throws Exception {
        TrialSpec trial = trial();
        CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 3);
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            t.runEpoch(1);
            store.write(new CheckpointStore.Position(1, 0), t, "{\"epoch\":1}");
            t.runEpoch(2);
            Path latest = store.write(new CheckpointStore.Position(2, 0), t, "{\"epoch\":2}");
            try (RandomAccessFile raf = new RandomAccessFile(latest.toFile(), "rw")) {
                raf.seek(raf.length() / 2);
                raf.write(new byte[64]);
            }
        }
        List<String> log = new ArrayList<>();
        CheckpointStore.Loaded loaded = store.latestValid(5, log::add).orElseThrow();
        assertEquals(1, loaded.position().epochs());
        assertEquals("{\"epoch\":1}", loaded.stateJson());
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("epoch-0002.ckpt is unreadable"), log.toString());
    }

    @Test
    void onlyTheNewestKeepLastCheckpointsAreKept() throws Exception {
        TrialSpec trial = trial();
        CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 2);
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            for (int e = 1; e <= 3; e++) {
                store.write(new CheckpointStore.Position(e, 0), t, "{}");
            }
        }
        assertEquals(List.of("epoch-0003.ckpt", "epoch-0002.ckpt"),
            store.list().stream().map(p -> p.getFileName().toString()).toList());
    }
}
