package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.space.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XgboostTrainerTest {
    private static final long SWEEP_SEED = 42;
    private static final int ROUNDS = 5;
    private static final Data DATA = Data.blobs(3, 6, 300, 100, 100, 7);

    /** Labelled Gaussian blobs, one per class, overlapping enough that no model is perfect. */
    record Data(int classes, float[][] trainX, int[] trainY, float[][] valX, int[] valY, float[][] testX,
                int[] testY) {
        static Data blobs(int classes, int features, int train, int val, int test, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] centres = new double[classes][features];
            for (double[] c : centres) {
                for (int j = 0; j < features; j++) {
                    c[j] = r.nextDouble(-1.5, 1.5);
                }
            }
            float[][][] x = new float[3][][];
            int[][] y = new int[3][];
            int[] sizes = {train, val, test};
            for (int s = 0; s < 3; s++) {
                x[s] = new float[sizes[s]][features];
                y[s] = new int[sizes[s]];
                for (int i = 0; i < sizes[s]; i++) {
                    int label = r.nextInt(classes);
                    y[s][i] = label;
                    for (int j = 0; j < features; j++) {
                        x[s][i][j] = (float) (centres[label][j] + gaussian(r));
                    }
                }
            }
            return new Data(classes, x[0], y[0], x[1], y[1], x[2], y[2]);
        }

        private static double gaussian(SplittableRandom r) {
            return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        }
    }

    private static XgboostParams params(double subsample, double colsample) {
        XgboostParams d = XgboostParams.defaults();
        return new XgboostParams(4, d.eta(), d.minChildWeight(), subsample, colsample, d.lambda(), d.alpha(),
                d.gamma(), d.treeMethod(), ROUNDS);
    }

    private static XgboostTrainer trainer(XgboostParams p, String trialId, Data d) {
        return new XgboostTrainer(p, trialId, SWEEP_SEED, 1, d.classes(), d.trainX(), d.trainY(), d.valX(), d.valY(),
                d.testX(), d.testY());
    }

    private static List<Map<String, Double>> epochs(XgboostTrainer t, int from, int to) {
        List<Map<String, Double>> metrics = new ArrayList<>();
        for (int e = from; e <= to; e++) {
            metrics.add(t.runEpoch(e).metrics());
        }
        return metrics;
    }

    /** Turns true once it has been asked {@code falses} times: a stop after that many rounds. */
    private static BooleanSupplier stopAfter(int falses) {
        int[] asked = {0};
        return () -> asked[0]++ >= falses;
    }

    @Test
    void learnsWellAboveChanceAndReportsTheStandardMetrics() {
        try (XgboostTrainer t = trainer(params(1, 1), "trial-0001", DATA)) {
            EpochResult first = t.runEpoch(1);
            t.runEpoch(2);
            EpochResult third = t.runEpoch(3);
            assertEquals(Metrics.STANDARD, List.copyOf(third.metrics().keySet()));
            assertTrue(third.metrics().get(Metrics.VAL_ACCURACY) > 0.6, third.metrics().toString());
            assertTrue(third.metrics().get(Metrics.TRAIN_LOSS) < first.metrics().get(Metrics.TRAIN_LOSS));
            assertEquals(ROUNDS, third.iterations());
            assertEquals(300L * ROUNDS, third.samples());
            assertEquals(3 * ROUNDS, t.boostedRounds());
        }
    }

    @Test
    void twoClassesUseSoftprobToo() {
        Data two = Data.blobs(2, 4, 200, 50, 50, 3);
        try (XgboostTrainer t = trainer(params(1, 1), "trial-0001", two)) {
            EpochResult result = t.runEpoch(1);
            assertTrue(result.metrics().get(Metrics.VAL_ACCURACY) > 0.6, result.metrics().toString());
            assertTrue(result.metrics().get(Metrics.VAL_LOSS) < Math.log(2));
        }
    }

    @Test
    void sameSeedAndTrialGiveIdenticalEpochsAndAnotherTrialDrawsOtherSamples() {
        XgboostParams sampled = params(0.7, 0.7);
        List<Map<String, Double>> a;
        List<Map<String, Double>> b;
        List<Map<String, Double>> other;
        try (XgboostTrainer t = trainer(sampled, "trial-0001", DATA)) {
            a = epochs(t, 1, 3);
        }
        try (XgboostTrainer t = trainer(sampled, "trial-0001", DATA)) {
            b = epochs(t, 1, 3);
        }
        try (XgboostTrainer t = trainer(sampled, "trial-0002", DATA)) {
            other = epochs(t, 1, 3);
        }
        assertEquals(a, b);
        assertNotEquals(a, other, "the trial seed reaches XGBoost's row and column sampling");
    }

    @ParameterizedTest(name = "subsample={0}, colsample_bytree={1}, tree_method={2}")
    @CsvSource({"1.0, 1.0, hist", "0.7, 0.7, hist", "0.7, 0.7, approx", "0.7, 0.7, exact"})
    void interruptedSavedAndRestoredTrialEndsBitIdenticalToAnUninterruptedOne(double subsample, double colsample,
                                                                              String treeMethod) throws IOException {
        XgboostParams s = params(subsample, colsample);
        XgboostParams p = new XgboostParams(s.maxDepth(), s.eta(), s.minChildWeight(), subsample, colsample,
                s.lambda(), s.alpha(), s.gamma(), treeMethod, ROUNDS);
        List<Map<String, Double>> uninterrupted;
        try (XgboostTrainer t = trainer(p, "trial-0003", DATA)) {
            uninterrupted = epochs(t, 1, 4);
        }
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
        try (XgboostTrainer t = trainer(p, "trial-0003", DATA)) {
            assertEquals(uninterrupted.get(0), t.runEpoch(1).metrics());
            TrainingInterruptedException stop = assertThrows(TrainingInterruptedException.class,
                    () -> t.runEpoch(2, stopAfter(3)));
            assertEquals(1, stop.epochsDone());
            assertEquals(3, stop.batchesDone());
            assertEquals(ROUNDS + 3, t.boostedRounds());
            t.save(checkpoint);
        }
        List<Map<String, Double>> resumed;
        try (XgboostTrainer t = trainer(p, "trial-0003", DATA)) {
            t.restore(new ByteArrayInputStream(checkpoint.toByteArray()));
            EpochResult rest = t.runEpoch(2);
            assertEquals(ROUNDS, rest.iterations(), "the epoch counts the rounds done before the stop too");
            resumed = new ArrayList<>(List.of(rest.metrics()));
            resumed.addAll(epochs(t, 3, 4));
        }
        assertEquals(uninterrupted.subList(1, 4), resumed);
    }

    @Test
    void interruptedEpochCarriesOnInTheSameProcess() {
        XgboostParams p = params(0.7, 0.7);
        List<Map<String, Double>> uninterrupted;
        try (XgboostTrainer t = trainer(p, "trial-0004", DATA)) {
            uninterrupted = epochs(t, 1, 2);
        }
        try (XgboostTrainer t = trainer(p, "trial-0004", DATA)) {
            assertThrows(TrainingInterruptedException.class, () -> t.runEpoch(1, stopAfter(2)));
            assertEquals(uninterrupted, epochs(t, 1, 2));
        }
    }

    @Test
    void twoTrainersInTwoThreadsAtOnceMatchEachTrainedAlone() throws Exception {
        XgboostParams p = params(0.7, 0.7);
        List<String> ids = List.of("trial-0005", "trial-0006");
        List<List<Map<String, Double>>> alone = new ArrayList<>();
        for (String id : ids) {
            try (XgboostTrainer t = trainer(p, id, DATA)) {
                alone.add(epochs(t, 1, 3));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<List<Map<String, Double>>>> runs = new ArrayList<>();
            for (String id : ids) {
                runs.add(pool.submit(() -> {
                    try (XgboostTrainer t = trainer(p, id, DATA)) {
                        List<Map<String, Double>> metrics = new ArrayList<>();
                        for (int e = 1; e <= 3; e++) {
                            together.await();
                            metrics.add(t.runEpoch(e).metrics());
                        }
                        return metrics;
                    }
                }));
            }
            assertEquals(alone.get(0), runs.get(0).get());
            assertEquals(alone.get(1), runs.get(1).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void savedModelPredictsWhatTheTrainerPredicts(@TempDir Path dir) {
        Path model = dir.resolve("model.ubj");
        try (XgboostTrainer t = trainer(params(1, 1), "trial-0007", DATA)) {
            EpochResult result = t.runEpoch(1);
            t.saveModel(model);
            int[] fromFile = XgboostTrainer.predict(model, DATA.testX());
            assertArrayEquals(t.predictClasses(DATA.testX()), fromFile);
            int correct = 0;
            for (int i = 0; i < fromFile.length; i++) {
                correct += fromFile[i] == DATA.testY()[i] ? 1 : 0;
            }
            assertEquals(result.metrics().get(Metrics.TEST_ACCURACY), correct / (double) fromFile.length);
        }
        assertTrue(Files.exists(model));
    }

    @Test
    void closingTwiceIsSafeAndAClosedTrainerRefusesWork() {
        XgboostTrainer t = trainer(params(1, 1), "trial-0008", DATA);
        t.runEpoch(1);
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.runEpoch(2));
    }

    @Test
    void hugeLearningRateGivesTrainingFailed() {
        XgboostParams d = XgboostParams.defaults();
        XgboostParams diverging = new XgboostParams(4, 3e38, d.minChildWeight(), 1, 1, d.lambda(), d.alpha(),
                d.gamma(), d.treeMethod(), ROUNDS);
        try (XgboostTrainer t = trainer(diverging, "trial-0009", DATA)) {
            TrainingFailedException failed = assertThrows(TrainingFailedException.class, () -> {
                for (int e = 1; e <= 3; e++) {
                    t.runEpoch(e);
                }
            });
            assertTrue(failed.getMessage().contains("non-finite"), failed.getMessage());
        }
    }

    @Test
    void checkpointOfAnotherFormatIsRefused() {
        byte[] bytes = {0, 0, 0, 99};
        try (XgboostTrainer t = trainer(params(1, 1), "trial-0010", DATA)) {
            IOException e = assertThrows(IOException.class, () -> t.restore(new ByteArrayInputStream(bytes)));
            assertTrue(e.getMessage().contains("format 99"), e.getMessage());
        }
    }

    @Test
    void nativeLibraryIsLoadedFromTheFixedDirectoryAndNotCopiedToTemp() throws IOException {
        XgboostNative.load();
        Path expected = XgboostNative.directory().resolve(System.mapLibraryName("xgboost4j"));
        assertEquals(expected, XgboostNative.loadedFrom());
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            List<String> mapped = Files.readAllLines(maps).stream()
                    .filter(line -> line.contains("xgboost4j"))
                    .map(line -> line.substring(line.indexOf('/')))
                    .distinct()
                    .toList();
            assertEquals(List.of(expected.toAbsolutePath().toString()), mapped);
        }
    }
}
