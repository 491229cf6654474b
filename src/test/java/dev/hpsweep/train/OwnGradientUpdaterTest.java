package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** DL4J's standard update path gives the very parameters and optimizer state its "external" one gives. */
class OwnGradientUpdaterTest {
    static final Dataset DATA = EmbeddedDatasets.load("europe-cities");

    @TempDir
    Path dir;

    @Test
    void sameParametersAndStateAsDl4jsOwnUpdaterWithBatchNormAdamAndL2() throws Exception {
        for (String fixed : new String[] {"{depth: 3, width: 8, batch_norm: true, optimizer: adam, l2: 0.001}",
            "{depth: 2, width: 8, batch_norm: false, optimizer: sgd, momentum: 0.9}"}) {
            TrialSpec trial = TestTrials.expand(dir, 1, fixed, "{lr: [0.01]}").get(0);
            ComputationGraph plain = network(trial);
            ComputationGraph own = network(trial);
            INDArray state = own.getUpdater().getStateViewArray();
            OwnGradientUpdater.install(own);
            OwnGradientUpdater.install(own);
            assertInstanceOf(OwnGradientUpdater.class, own.getUpdater());
            assertSame(state, own.getUpdater().getStateViewArray(), "the optimizer state is kept, not copied");
            assertTrue(own.getUpdater().getUpdaterBlocks().stream().allMatch(OwnGradientUpdater.FlatViewBlock.class::isInstance),
                "each block keeps its flattened view");
            SplitArrays train = SplitArrays.of(DATA.train(), DATA.numClasses());
            for (int batch = 0; batch < 6; batch++) {
                int[] rows = new int[64];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = (batch * 997 + i * 31) % train.rows();
                }
                for (ComputationGraph net : new ComputationGraph[] {plain, own}) {
                    net.fit(new DataSet(Rows.gather(train.features(), rows), Rows.gather(train.oneHot(), rows)));
                }
                assertArrayEquals(plain.params().toFloatVector(), own.params().toFloatVector(), fixed + ", batch " + batch);
                assertArrayEquals(plain.getUpdater().getStateViewArray().toFloatVector(),
                    own.getUpdater().getStateViewArray().toFloatVector(), fixed + ", batch " + batch);
            }
        }
    }

    private static ComputationGraph network(TrialSpec trial) {
        ComputationGraph net = new ComputationGraph(Dl4jTrainer.configuration(MlpNetwork.from(trial),
            Dl4jSettings.from(trial), DATA.shape(), DATA.numClasses(), 7L));
        net.init();
        return net;
    }
}
