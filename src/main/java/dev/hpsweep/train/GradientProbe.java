package dev.hpsweep.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sees each step's gradient after back-propagation and before the updater (DL4J calls
 * {@code onGradientCalculation} there), to record the squared L2 norm of chosen weight
 * gradients and to clip the gradient's global norm.
 *
 * <p>DL4J's gradient at that point is summed over the batch (its updater divides by the batch
 * size later), so both are computed on gradient / batch size: the gradient of the mean loss, as
 * PyTorch reports it. Clipping covers weights, biases and batch-norm scale and shift, like
 * PyTorch's clip_grad_norm_ over parameters; batch-norm running statistics are not gradients
 * in DL4J either, and are left alone.
 */
final class GradientProbe extends BaseTrainingListener {
    private static final List<String> TRAINABLE = List.of("W", "b", "gamma", "beta");

    private final double clipNorm;
    private final List<String> recorded;
    private final List<String> clipped = new ArrayList<>();
    private final double[] sums;
    private int batches;
    private int batchSize = 1;

    /**
     * @param clipNorm maximum global L2 norm of the mean-loss gradient; 0 for no clipping
     * @param recorded gradient keys ({@code <vertex>_W}) whose squared norm is averaged per epoch
     */
    GradientProbe(ComputationGraph net, double clipNorm, List<String> recorded) {
        this.clipNorm = clipNorm;
        this.recorded = List.copyOf(recorded);
        this.sums = new double[recorded.size()];
        if (clipNorm > 0) {
            net.paramTable().keySet().stream()
                .filter(key -> TRAINABLE.contains(key.substring(key.lastIndexOf('_') + 1)))
                .forEach(clipped::add);
        }
    }

    boolean active() {
        return clipNorm > 0 || !recorded.isEmpty();
    }

    void startEpoch() {
        java.util.Arrays.fill(sums, 0);
        batches = 0;
    }

    void batchSize(int rows) {
        batchSize = rows;
    }

    /** The epoch's running sums, so an interrupted epoch can be saved and finished later. */
    void saveTo(EpochCursor cursor) {
        cursor.gradSums = sums.clone();
        cursor.gradBatches = batches;
    }

    void restoreFrom(EpochCursor cursor) {
        if (cursor.gradSums.length == sums.length) {
            System.arraycopy(cursor.gradSums, 0, sums, 0, sums.length);
            batches = cursor.gradBatches;
        }
    }

    /** Mean over the epoch's batches of each recorded key's squared gradient norm. */
    double[] epochMeans() {
        double[] means = new double[sums.length];
        for (int k = 0; k < sums.length; k++) {
            means[k] = batches == 0 ? Double.NaN : sums[k] / batches;
        }
        return means;
    }

    /**
     * The L2 norm of a gradient, finite whenever its elements are. libnd4j sums the squares in the
     * array's own type, so a float gradient whose elements pass ~1e19 (the 100-layer batch-norm net
     * of question 2.5) gives +Infinity, which would read as "exploded" in the diagnostics and would
     * make clipping scale the gradient to zero. Only then is it summed again in double.
     */
    static double norm2(INDArray g) {
        double norm = g.norm2Number().doubleValue();
        if (!Double.isInfinite(norm) || g.dataType() == DataType.DOUBLE) {
            return norm;
        }
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             INDArray wide = g.castTo(DataType.DOUBLE)) {
            return wide.norm2Number().doubleValue();
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        Gradient gradient = model.gradient();
        double perExample = 1.0 / batchSize;
        for (int k = 0; k < recorded.size(); k++) {
            INDArray g = gradient.getGradientFor(recorded.get(k));
            // A frozen layer (linear probe) has no gradient: recorded as NaN, not as a vanished 0.
            double norm = g == null ? Double.NaN : norm2(g) * perExample;
            sums[k] += norm * norm;
        }
        batches++;
        if (clipNorm > 0) {
            double squares = 0;
            for (String key : clipped) {
                INDArray g = gradient.getGradientFor(key);
                if (g != null) { // frozen layers have none
                    double norm = norm2(g);
                    squares += norm * norm;
                }
            }
            double norm = Math.sqrt(squares) * perExample;
            if (norm > clipNorm) {
                double factor = clipNorm / (norm + 1e-6);
                for (String key : clipped) {
                    INDArray g = gradient.getGradientFor(key);
                    if (g != null) {
                        g.muli(factor);
                    }
                }
            }
        }
    }
}
