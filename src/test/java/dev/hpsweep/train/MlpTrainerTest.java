package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class MlpTrainerTest {
    static final Dataset DATA = EmbeddedDatasets.load("europe-cities");

    @TempDir
    Path dir;

    private List<TrialSpec> trials(String fixed, String params) throws Exception {
        return TestTrials.expand(dir, 3, fixed, params);
    }

    @Test
    void depthSixMeansSixHiddenDenseLayersPlusTheOutputWithBatchNormBeforeEachActivation() throws Exception {
        TrialSpec trial = trials("{batch_norm: true, width: 16}", "{depth: [6]}").get(0);
        ComputationGraphConfiguration conf = Dl4jTrainer.configuration(MlpNetwork.from(trial), Dl4jSettings.from(trial), dev.hpsweep.data.Shape.of(2), 35, 1L);
        assertEquals(6, layers(conf, DenseLayer.class));
        assertEquals(6, layers(conf, BatchNormalization.class));
        assertTrue(conf.getVertices().get("output") instanceof LayerVertex v && v.getLayerConf().getLayer() instanceof OutputLayer);
        // dense -> batch norm -> activation
        assertEquals(List.of("dense0"), conf.getVertexInputs().get("bn0"));
        assertEquals(List.of("bn0"), conf.getVertexInputs().get("act0"));
        assertEquals(List.of("act5"), conf.getVertexInputs().get("output"));
    }

    @Test
    void residualLayersAddTheirInputToTheirOutputFromTheSecondHiddenLayerOn() throws Exception {
        TrialSpec trial = trials("{batch_norm: false, residual: true, width: 8}", "{depth: [3]}").get(0);
        ComputationGraphConfiguration conf = Dl4jTrainer.configuration(MlpNetwork.from(trial), Dl4jSettings.from(trial), dev.hpsweep.data.Shape.of(2), 35, 1L);
        assertTrue(conf.getVertices().get("add1") instanceof ElementWiseVertex);
        assertEquals(List.of("dense1", "dense0"), conf.getVertexInputs().get("add1"));
        assertEquals(List.of("dense2", "add1"), conf.getVertexInputs().get("add2"));
        assertFalse(conf.getVertices().containsKey("add0"), "the first layer changes the width");
        assertEquals(List.of("add2"), conf.getVertexInputs().get("output"));
    }

    private static long layers(ComputationGraphConfiguration conf, Class<?> type) {
        return conf.getVertices().values().stream()
            .filter(v -> v instanceof LayerVertex l && type.isInstance(l.getLayerConf().getLayer())).count();
    }

    @Test
    void theSameTrialTrainsToBitIdenticalMetricsTwice() throws Exception {
        TrialSpec trial = trials("{batch_norm: true, batch_size: 2048}", "{depth: [2]}").get(0);
        try (Dl4jTrainer a = TestTrainers.mlp(trial, DATA, 42); Dl4jTrainer b = TestTrainers.mlp(trial, DATA, 42)) {
            for (int epoch = 1; epoch <= 2; epoch++) {
                assertEquals(a.runEpoch(epoch).metrics(), b.runEpoch(epoch).metrics(), "epoch " + epoch);
            }
        }
    }

    /** A varying learning rate makes DL4J build a new updater each epoch; the trainer's own comes back. */
    @Test
    void aLearningRateScheduleKeepsTheTrainersOwnUpdaterAndFusedBatchNorm() throws Exception {
        TrialSpec trial = trials("{batch_norm: true, batch_size: 4096, lr_schedule: cosine}", "{depth: [2]}").get(0);
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            for (int epoch = 1; epoch <= 2; epoch++) {
                t.runEpoch(epoch);
                assertTrue(t.network().getUpdater() instanceof OwnGradientUpdater, "epoch " + epoch);
                assertTrue(((org.deeplearning4j.nn.layers.normalization.BatchNormalization) t.network().getLayer("bn0"))
                    .getHelper() instanceof FusedBatchNorm);
            }
        }
    }

    @Test
    void trainingLossFallsAndAccuracyBeatsChance() throws Exception {
        TrialSpec trial = trials("{batch_norm: true, batch_size: 512, lr: 0.01}", "{depth: [2]}").get(0);
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            EpochResult first = t.runEpoch(1);
            t.runEpoch(2);
            EpochResult third = t.runEpoch(3);
            assertTrue(third.metrics().get(Metrics.TRAIN_LOSS) < first.metrics().get(Metrics.TRAIN_LOSS));
            assertTrue(third.metrics().get(Metrics.VAL_ACCURACY) > 3.0 / 35, third.metrics().toString());
            assertEquals((DATA.train().size() + 511) / 512, third.iterations());
        }
    }

    @Test
    void measuringTrainAccuracyInTrainingModeDoesNotChangeTheNetwork() throws Exception {
        TrialSpec trial = trials("{batch_norm: true}", "{depth: [2]}").get(0);
        try (Dl4jTrainer t = TestTrainers.mlp(trial, DATA, 42)) {
            ComputationGraph net = t.network();
            INDArray before = net.params().dup();
            net.output(true, SplitArrays.of(DATA.validation(), DATA.numClasses()).features());
            assertEquals(before, net.params(), "batch-norm running statistics or weights changed");
        }
    }
}
