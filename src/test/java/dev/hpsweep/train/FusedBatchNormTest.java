package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.Dataset;
import java.util.Map;
import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * libnd4j's fused batch norm computes what DL4J's built-in path computes: the same outputs, the
 * same gradients and the same running statistics, up to float rounding, batch after batch.
 */
class FusedBatchNormTest {
    static final Dataset DATA = EmbeddedDatasets.load("europe-cities");

    @TempDir
    Path dir;

    @Test
    void everyBatchNormLayerGetsTheHelperOnce() throws Exception {
        ComputationGraph net = network("{depth: 3, width: 8, batch_norm: true}");
        FusedBatchNorm.install(net);
        int layers = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                assertInstanceOf(FusedBatchNorm.class, bn.getHelper());
                layers++;
            }
        }
        assertEquals(3, layers);
        Object first = ((BatchNormalization) net.getLayer("bn1")).getHelper();
        FusedBatchNorm.install(net);
        assertTrue(first == ((BatchNormalization) net.getLayer("bn1")).getHelper(), "a second install keeps the helper");
    }

    @Test
    void sameGradientsAsDl4jsBuiltInPathUpToRounding() throws Exception {
        ComputationGraph builtIn = network("{depth: 4, width: 16, batch_norm: true, optimizer: adam}");
        ComputationGraph fused = network("{depth: 4, width: 16, batch_norm: true, optimizer: adam}");
        FusedBatchNorm.install(fused);
        assertNull(((BatchNormalization) builtIn.getLayer("bn1")).getHelper(), "the reference runs DL4J's own path");
        SplitArrays train = SplitArrays.of(DATA.train(), DATA.numClasses());
        DataSet ds = batch(train, 77);
        // Measured: each variable's difference is at most ~3e-7 of the whole gradient's norm.
        NetworkComparisons.assertSameGradients(builtIn, fused, ds.getFeatures(), ds.getLabels(), 1e-6, 1);
    }

    @Test
    void sameParametersAndRunningStatisticsAsDl4jsBuiltInPathUpToRoundingOverTwentyBatches() throws Exception {
        String fixed = "{depth: 4, width: 16, batch_norm: true, optimizer: sgd}";
        ComputationGraph builtIn = network(fixed);
        ComputationGraph fused = network(fixed);
        FusedBatchNorm.install(fused);
        SplitArrays train = SplitArrays.of(DATA.train(), DATA.numClasses());
        INDArray evalRows = Rows.gather(train.features(), rows(99, 512, train.rows()));
        for (int b = 0; b < 20; b++) {
            DataSet ds = batch(train, b);
            builtIn.fit(ds);
            fused.fit(ds);
            assertClose(builtIn.params(), fused.params(), 1e-4, "parameters (incl. running mean/var), batch " + b);
            assertEquals(builtIn.score(), fused.score(), 1e-4, "training loss, batch " + b);
        }
        // Inference uses the running statistics.
        assertClose(builtIn.outputSingle(false, evalRows), fused.outputSingle(false, evalRows), 1e-4, "inference outputs");
    }

    @Test
    void sameGradientsOnImagesDownToOneByOneAsDl4jsBuiltInPathUpToRounding() {
        ComputationGraph[] nets = NetworkComparisons.twoResNets(4, 1, 8, Map.of());
        FusedBatchNorm.install(nets[1]);
        INDArray[] xy = NetworkComparisons.images(8, 1, 8, 5); // 8 x 8: the last stage is 1 x 1, batch norm on [N, C, 1, 1]
        NetworkComparisons.assertSameGradients(nets[0], nets[1], xy[0], xy[1], 1e-5, 0.01);
        assertClose(nets[0].outputSingle(false, xy[0]), nets[1].outputSingle(false, xy[0]), 1e-5, "inference outputs");
    }

    /**
     * A batch of one row (batch size 1, or an epoch's last batch): its variance is 0, as on DL4J's
     * path, not the batch before's; the running statistics after it match DL4J's.
     */
    @Test
    void aOneRowBatchHasVarianceZeroAsOnDl4jsPath() throws Exception {
        ComputationGraph builtIn = network("{depth: 2, width: 8, batch_norm: true, optimizer: sgd}");
        ComputationGraph fused = network("{depth: 2, width: 8, batch_norm: true, optimizer: sgd}");
        FusedBatchNorm.install(fused);
        SplitArrays train = SplitArrays.of(DATA.train(), DATA.numClasses());
        DataSet full = batch(train, 3);
        DataSet one = new DataSet(full.getFeatures().getRow(5, true).dup(), full.getLabels().getRow(5, true).dup());
        for (DataSet ds : new DataSet[] {full, one}) {
            builtIn.fit(ds);
            fused.fit(ds);
        }
        INDArray var = ((BatchNormalization) fused.getLayer("bn1")).getHelper() instanceof FusedBatchNorm f
            ? f.getVarCache(org.nd4j.linalg.api.buffer.DataType.FLOAT) : null;
        assertEquals(0.0, var.maxNumber().doubleValue(), 0.0, "the one-row batch's variance");
        assertEquals(0.0, var.minNumber().doubleValue(), 0.0, "the one-row batch's variance");
        for (String bn : new String[] {"bn0", "bn1"}) {
            assertClose(builtIn.getLayer(bn).getParam("log10stdev"), fused.getLayer(bn).getParam("log10stdev"), 1e-5,
                bn + " running log10 std");
            assertClose(builtIn.getLayer(bn).getParam("mean"), fused.getLayer(bn).getParam("mean"), 1e-5,
                bn + " running mean");
        }
    }

    private static DataSet batch(SplitArrays train, int b) {
        int[] rows = rows(b, 256, train.rows());
        return new DataSet(Rows.gather(train.features(), rows), Rows.gather(train.oneHot(), rows));
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        NetworkComparisons.assertClose(expected, actual, tolerance, what);
    }

    private static int[] rows(int batch, int size, int of) {
        int[] rows = new int[size];
        for (int i = 0; i < size; i++) {
            rows[i] = (batch * 7919 + i * 31) % of;
        }
        return rows;
    }

    private ComputationGraph network(String fixed) throws Exception {
        TrialSpec trial = TestTrials.expand(dir, 1, fixed, "{lr: [0.01]}").get(0);
        ComputationGraph net = new ComputationGraph(Dl4jTrainer.configuration(MlpNetwork.from(trial),
            Dl4jSettings.from(trial), DATA.shape(), DATA.numClasses(), 7L));
        net.init();
        return net;
    }
}
