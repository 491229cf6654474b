package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * hpsweep's batch-norm layer, with its running-statistics update in arrays it keeps, trains to the
 * very same parameters, running mean and log10 std as DL4J's layer with the same fused helper:
 * dense (an MLP on europe-cities) and convolutional (a small ResNet), batch after batch, with
 * train-mode and inference outputs between the batches.
 */
class LeanBatchNormalizationTest {
    static final Dataset DATA = EmbeddedDatasets.load("europe-cities");

    @TempDir
    Path dir;

    @Test
    void anMlpTrainsBitForBitAsWithDl4jsLayer() throws Exception {
        ComputationGraph[] nets = new ComputationGraph[2];
        for (int i = 0; i < 2; i++) {
            TrialSpec trial = TestTrials.expand(dir, 1, "{depth: 3, width: 16, batch_norm: true, optimizer: adam}",
                "{lr: [0.01]}").get(0);
            nets[i] = new ComputationGraph(Dl4jTrainer.configuration(MlpNetwork.from(trial), Dl4jSettings.from(trial),
                DATA.shape(), DATA.numClasses(), 7L));
            nets[i].init();
        }
        SplitArrays train = SplitArrays.of(DATA.train(), DATA.numClasses());
        compare(nets, 3, b -> {
            int[] rows = new int[256];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (b * 7919 + i * 31) % train.rows();
            }
            return new INDArray[] {Rows.gather(train.features(), rows), Rows.gather(train.oneHot(), rows)};
        });
    }

    @Test
    void aResNetTrainsBitForBitAsWithDl4jsLayer() throws Exception {
        ComputationGraph[] nets = NetworkComparisons.twoResNets(4, 1, 10, Map.of("optimizer", "adam", "lr", 0.01));
        compare(nets, -1, b -> NetworkComparisons.images(16, 1, 10, 300 + b));
    }

    /** nets[0] gets hpsweep's layer, nets[1] DL4J's; both the fused helper and the rest of the trainer's helpers. */
    private static void compare(ComputationGraph[] nets, int expectedLayers, java.util.function.IntFunction<INDArray[]> batches) {
        LayerHelpers.install(nets[0]);
        System.setProperty("hpsweep.lean.batchnorm", "false");
        try {
            LayerHelpers.install(nets[1]);
        } finally {
            System.clearProperty("hpsweep.lean.batchnorm");
        }
        int lean = 0;
        for (Layer layer : nets[0].getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                assertInstanceOf(LeanBatchNormalization.class, bn);
                assertInstanceOf(FusedBatchNorm.class, bn.getHelper());
                assertSame(bn, nets[0].getLayer(bn.conf().getLayer().getLayerName()), "the graph's vertex runs it");
                lean++;
            }
        }
        for (Layer layer : nets[1].getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                assertSame(BatchNormalization.class, bn.getClass());
            }
        }
        if (expectedLayers >= 0) {
            assertEquals(expectedLayers, lean);
        }
        for (int b = 0; b < 6; b++) {
            INDArray[] xy = batches.apply(b);
            MultiDataSet ds = new MultiDataSet(xy[0], xy[1]);
            nets[0].fit(ds);
            nets[1].fit(ds);
            assertArrayEquals(nets[1].params().data().asFloat(), nets[0].params().data().asFloat(),
                "parameters, running means and log10 stds after batch " + b);
            assertEquals(nets[1].score(), nets[0].score(), 0.0, "training loss, batch " + b);
            INDArray[] other = batches.apply(100 + b);
            assertArrayEquals(nets[1].outputSingle(true, other[0]).data().asFloat(),
                nets[0].outputSingle(true, other[0]).data().asFloat(), "train-mode outputs, batch " + b);
            assertArrayEquals(nets[1].outputSingle(false, other[0]).data().asFloat(),
                nets[0].outputSingle(false, other[0]).data().asFloat(), "inference outputs, batch " + b);
        }
        for (Layer layer : nets[0].getLayers()) {
            if (layer instanceof LeanBatchNormalization bn) {
                assertEquals(6, bn.updates, "hpsweep's update ran for each batch, not DL4J's");
            }
        }
        Nd4j.getExecutioner().commit();
    }
}
