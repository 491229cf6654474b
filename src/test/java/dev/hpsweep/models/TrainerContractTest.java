package dev.hpsweep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.TrialSpec;
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
            "colsample_bytree", 0.7), Map.of("eta", 3e38), 3));

    static Stream<String> types() {
        return ModelRegistry.installed().types().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyRegisteredModelTypeKeepsTheTrainerContract(String name) {
        ModelType type = ModelRegistry.installed().type(name);
        Fixture f = FIXTURES.get(name);
        assertTrue(f != null, "model type '" + name + "' has no contract fixture in TrainerContractTest.FIXTURES");
        Dataset data = clusters(type.accepts().contains(DataKind.TABULAR) ? 2 : 0);
        TrainerFactory factory = type.trainers(new TrainingContext(data, 42, 1));
        TrialSpec trial = TrainerContract.trial(type.params(), f.trial(), f.epochs());
        TrialSpec diverging = TrainerContract.trial(type.params(), f.diverging(), f.epochs());
        TrainerContract.check(factory, trial, diverging);
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
