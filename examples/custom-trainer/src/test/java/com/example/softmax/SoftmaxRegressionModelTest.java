package com.example.softmax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.models.TrainingContext;
import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.EpochResult;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerContract;
import dev.hpsweep.train.TrainerFactory;
import dev.hpsweep.train.TrainingFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftmaxRegressionModelTest {
    private static final SoftmaxRegressionModel MODEL = new SoftmaxRegressionModel();

    /** Three Gaussian blobs in 2-D, away from the origin and of different scales (so standardize matters): 300 rows. */
    static Dataset blobs() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] centres = {{10, 200}, {14, 260}, {6, 240}};
        int rows = 300;
        float[][] x = new float[rows][];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            x[i] = new float[] {(float) (centres[c][0] + random.nextGaussian()),
                (float) (centres[c][1] + 10 * random.nextGaussian())};
            y[i] = c;
        }
        return new Dataset("blobs", List.of("a", "b"), split(x, y, 0, 200), split(x, y, 200, 250),
            split(x, y, 250, 300), 3, List.of("west", "north", "south"));
    }

    private static Dataset.Split split(float[][] x, int[] y, int from, int to) {
        return new Dataset.Split(java.util.Arrays.copyOfRange(x, from, to), java.util.Arrays.copyOfRange(y, from, to));
    }

    private static TrainerFactory factory(Dataset data) {
        return MODEL.trainers(new TrainingContext(data, 42, 1));
    }

    @Test
    void keepsTheTrainerContract() {
        // 200 training rows at batch 64: 4 steps per epoch, so an epoch can be interrupted inside.
        TrialSpec trial = TrainerContract.trial(MODEL.params(), Map.of("lr", 0.5, "l2", 1e-4), 3);
        // A huge lr alone does not overflow softmax regression: its gradient is bounded (|p - y| <= 1),
        // so the weights grow only linearly in the steps. With l2 each step multiplies them by
        // (1 - lr * l2) = -1e300: the second step overflows, and the loss is NaN.
        TrialSpec diverging = TrainerContract.trial(MODEL.params(), Map.of("lr", 1e300, "l2", 1.0), 3);
        TrainerContract.check(factory(blobs()), trial, diverging);
        // the same without standardizing, and with a last batch of another size (200 = 3 * 64 + 8)
        TrainerContract.check(factory(blobs()),
            TrainerContract.trial(MODEL.params(), Map.of("lr", 1e-4, "standardize", false), 3), diverging);
    }

    @Test
    void aHugeLearningRateFailsTheTrial() {
        TrialSpec trial = TrainerContract.trial(MODEL.params(), Map.of("lr", 1e300, "l2", 1.0), 3);
        try (Trainer t = factory(blobs()).create(trial)) {
            assertThrows(TrainingFailedException.class, () -> t.runEpoch(1));
        }
    }

    @Test
    void learnsTheBlobs() {
        TrialSpec trial = TrainerContract.trial(MODEL.params(), Map.of("lr", 0.5), 5);
        try (Trainer t = factory(blobs()).create(trial)) {
            EpochResult first = t.runEpoch(1);
            EpochResult last = first;
            for (int e = 2; e <= 5; e++) {
                last = t.runEpoch(e);
            }
            assertEquals(Metrics.STANDARD, List.copyOf(last.metrics().keySet()));
            assertEquals(4, last.iterations());
            assertEquals(200, last.samples());
            assertTrue(last.metrics().get(Metrics.VAL_ACCURACY) > 0.9, "val accuracy " + last.metrics());
            assertTrue(last.metrics().get(Metrics.TRAIN_LOSS) < first.metrics().get(Metrics.TRAIN_LOSS),
                "train loss did not fall: " + first.metrics() + " -> " + last.metrics());
        }
    }

    @Test
    void theSavedModelPredictsAsTheTrainerDid(@TempDir Path dir) throws Exception {
        Dataset data = blobs();
        TrialSpec trial = TrainerContract.trial(MODEL.params(), Map.of("lr", 0.5), 3);
        Path file = dir.resolve("model.bin");
        double testAccuracy;
        try (Trainer t = factory(data).create(trial)) {
            t.runEpoch(1);
            t.runEpoch(2);
            testAccuracy = t.runEpoch(3).metrics().get(Metrics.TEST_ACCURACY);
            t.saveModel(file);
            t.saveModel(file); // replaces it
        }
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temp files left behind");
        }
        ModelType.Predictor predictor = MODEL.savedModel(file, trial.params(), data).orElseThrow();
        int[] predicted = predictor.predict(data.test().features());
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == data.test().labels()[i] ? 1 : 0;
        }
        assertEquals(testAccuracy, (double) right / predicted.length);
    }

    @Test
    void isListedAsAService() {
        List<String> names = ServiceLoader.load(ModelType.class).stream().map(p -> p.get().name()).toList();
        assertTrue(names.contains("softmax-regression"), "services: " + names);
    }

    @Test
    void restoreRefusesAnotherTrialsCheckpoint() throws Exception {
        TrainerFactory factory = factory(blobs());
        TrialSpec trial = TrainerContract.trial(MODEL.params(), Map.of(), 2);
        TrialSpec other = new TrialSpec(TrialSpec.idOf(1), 1, trial.params(), Map.of());
        var bytes = new java.io.ByteArrayOutputStream();
        try (Trainer t = factory.create(trial)) {
            t.runEpoch(1);
            t.save(bytes);
        }
        try (Trainer t = factory.create(other)) {
            assertThrows(java.io.IOException.class, () -> t.restore(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        }
    }
}
