package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.Shape;
import dev.hpsweep.space.ParamDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the layer-helper tests share: two networks' gradients and arrays compared up to float rounding. */
final class NetworkComparisons {
    private NetworkComparisons() {
    }

    /**
     * Both networks' loss and gradient on the same inputs and labels: each variable within
     * {@code tolerance} of the whole gradient's norm (a per-variable relative bound would compare
     * rounding noise where a gradient is zero in exact arithmetic).
     */
    static void assertSameGradients(ComputationGraph reference, ComputationGraph other, INDArray x, INDArray y,
                                    double tolerance, double minimumNorm) {
        for (ComputationGraph net : new ComputationGraph[] {reference, other}) {
            net.setInputs(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(reference.score(), other.score(), tolerance, "loss");
        double whole = reference.gradient().gradient().norm2Number().doubleValue();
        assertTrue(whole > minimumNorm, "a gradient to compare");
        for (var e : reference.gradient().gradientForVariable().entrySet()) {
            double diff = e.getValue().sub(other.gradient().getGradientFor(e.getKey())).norm2Number().doubleValue();
            assertTrue(diff <= tolerance * whole, e.getKey() + ": differs by " + diff + " against a gradient norm of " + whole);
        }
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        float[] e = expected.dup().reshape(expected.length()).toFloatVector();
        float[] a = actual.dup().reshape(actual.length()).toFloatVector();
        assertEquals(e.length, a.length, what);
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(1.0, Math.abs(e[i])));
        }
        assertTrue(worst <= tolerance, what + ": largest relative difference " + worst);
    }

    /** Two identical ResNet18s (same seed, no helpers yet) of the given width for {@code channels x side x side} images, 2 classes. */
    static ComputationGraph[] twoResNets(int width, int channels, int side, Map<String, Object> settings) {
        List<ParamDef> params = new ArrayList<>(List.of(ParamDef.integerAtLeast("width", 1, 16, "w")));
        params.addAll(Dl4jSettings.OPTIMIZER);
        params.addAll(Dl4jSettings.REGULARISATION_AND_SCHEDULE);
        params.addAll(Dl4jSettings.DIAGNOSTICS);
        Map<String, Object> values = new java.util.HashMap<>(settings);
        values.put("width", width);
        Dl4jSettings s = Dl4jSettings.from(TrainerContract.trial(params, values, 1));
        ComputationGraph[] nets = new ComputationGraph[2];
        for (int i = 0; i < 2; i++) {
            nets[i] = new ComputationGraph(Dl4jTrainer.configuration(new ResNetNetwork(width), s, Shape.of(channels, side, side), 2, 3L));
            nets[i].init();
        }
        return nets;
    }

    /** {@code n} random images (flattened, as hpsweep feeds them) and alternating one-hot labels of 2 classes. */
    static INDArray[] images(int n, int channels, int side, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, (long) channels * side * side);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 2, 1f);
        }
        return new INDArray[] {x, y};
    }
}
