package dev.hpsweep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.InitialWeights;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerContract;
import dev.hpsweep.train.TrainerFactory;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered model type keeps the {@link TrainerContract}. A new model type needs a fixture
 * here (a small trial and one that diverges); the test that every type has one keeps that honest.
 */
class TrainerContractTest {

    /** A model type's contract trial (values over its defaults) and a trial whose loss becomes non-finite. */
    record Fixture(String type, Map<String, Object> trial, Map<String, Object> diverging, int epochs) {
    }

    static final Map<String, Fixture> FIXTURES = Map.of(
        "mlp", new Fixture("mlp", Map.of("depth", 2, "width", 8, "batch_size", 64, "batch_norm", true,
            "record_batch_loss", true, "record_grad_layers", List.of(0, 2)),
            Map.of("optimizer", "sgd", "lr", 1e30, "momentum", 0.0, "batch_size", 64), 3),
        // Row and column sampling < 1: the resumed booster must draw what the uninterrupted one drew.
        "xgboost", new Fixture("xgboost", Map.of("max_depth", 3, "rounds_per_epoch", 3, "subsample", 0.7,
            "colsample_bytree", 0.7), Map.of("eta", 3e38), 3),
        "resnet18", new Fixture("resnet18", Map.of("width", 2, "batch_size", 16, "lr", 0.01,
            "record_grad_layers", List.of(0, 20)), Map.of("optimizer", "sgd", "lr", 1e30, "momentum", 0.0), 2),
        // Two Newton steps an epoch and a tolerance it cannot reach, so epoch 2 still has steps to interrupt.
        "logreg-features", new Fixture("logreg-features", Map.of("max_steps", 2, "tol", 1e-300),
            Map.of("c", 1e308), 3));

    static Stream<String> types() {
        return ModelRegistry.installed().types().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyRegisteredModelTypeKeepsTheTrainerContract(String name) {
        ModelType type = ModelRegistry.installed().type(name);
        Fixture f = FIXTURES.get(name);
        assertTrue(f != null, "model type '" + name + "' has no contract fixture in TrainerContractTest.FIXTURES");
        Dataset data = type.accepts().contains(DataKind.TABULAR) && !type.initRequired() ? clusters(2) : images();
        TrainerFactory factory = type.trainers(new TrainingContext(data, 42, 1,
            type.initRequired() ? pretrained(data) : null));
        TrialSpec trial = TrainerContract.trial(type.params(), f.trial(), f.epochs());
        TrialSpec diverging = TrainerContract.trial(type.params(), f.diverging(), f.epochs());
        TrainerContract.check(factory, trial, diverging);
    }

    /** A small ResNet trained for one epoch on {@code data} and saved: what a model of features starts from. */
    private static InitialWeights pretrained(Dataset data) {
        ModelType resnet = ModelRegistry.installed().type("resnet18");
        java.nio.file.Path file;
        try {
            file = java.nio.file.Files.createTempDirectory("contract").resolve("model.zip");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Trainer t = resnet.trainers(new TrainingContext(images(), 1, 1)).create(
            TrainerContract.trial(resnet.params(), Map.of("width", 2, "batch_size", 16), 1))) {
            t.runEpoch(1);
            t.saveModel(file);
        }
        return new InitialWeights(file, "test", true);
    }

    @Test
    void everyFixtureNamesARegisteredType() {
        for (String name : FIXTURES.keySet()) {
            assertTrue(ModelRegistry.installed().isKnown(name), name);
        }
    }

    /** Three Gaussian blobs in {@code features} dimensions: 300 train, 100 validation, 100 test rows. */
    static Dataset clusters(int features) {
        SplittableRandom random = new SplittableRandom(5);
        List<String> names = java.util.stream.IntStream.range(0, features).mapToObj(i -> "f" + i).toList();
        return new Dataset("clusters", names, blobs(random, 300, features), blobs(random, 100, features),
            blobs(random, 100, features), 3, List.of("a", "b", "c"));
    }

    /** Two classes of 1 x 8 x 8 images, a bright square top-left or bottom-right plus noise: 48/16/16 images. */
    static Dataset images() {
        SplittableRandom random = new SplittableRandom(9);
        return new Dataset("squares", dev.hpsweep.data.Shape.of(1, 8, 8), squares(random, 48), squares(random, 16),
            squares(random, 16), 2, List.of("top-left", "bottom-right"));
    }

    private static Dataset.Split squares(SplittableRandom random, int rows) {
        float[][] x = new float[rows][64];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 2;
            for (int p = 0; p < 64; p++) {
                int r = p / 8;
                int c = p % 8;
                boolean lit = y[i] == 0 ? r < 4 && c < 4 : r >= 4 && c >= 4;
                x[i][p] = (float) Math.min(1, Math.max(0, (lit ? 0.8 : 0.1) + 0.1 * random.nextGaussian()));
            }
        }
        return new Dataset.Split(x, y);
    }

    private static Dataset.Split blobs(SplittableRandom random, int rows, int features) {
        float[][] x = new float[rows][features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 3;
            for (int f = 0; f < features; f++) {
                x[i][f] = (float) (random.nextGaussian() + 2.0 * Math.cos(y[i] * 2.1 + f));
            }
        }
        return new Dataset.Split(x, y);
    }
}
