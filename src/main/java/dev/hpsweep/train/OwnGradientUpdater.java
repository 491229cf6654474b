package dev.hpsweep.train;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's updater for a {@link ComputationGraph}, taking the path DL4J means for a network's own
 * gradient. {@code BaseMultiLayerUpdater.update} treats a gradient as "external" (computed in
 * another network) unless {@code gradient.gradient()} is the very object of the network's
 * flattened-gradient view; in DL4J 1.0.0-M2.1 {@code DefaultGradient.gradient()} returns a new
 * reshaped view on every call, so every update takes the external path, which slices two views
 * per parameter for each regularization step and one per updater block again on every batch
 * (about 380 of the 960 native buffers a depth-6 MLP's training step registered for deallocation:
 * docs/BENCHMARKS.md). When the gradient is a view of this network's own flattened gradients
 * (same memory, same length), this updater hands DL4J the view object it compares with, so it
 * takes its standard path: the cached per-block and per-parameter views of the same memory. The
 * arithmetic is the same, on the same memory (GoldenSweepTest, OwnGradientUpdaterTest).
 */
final class OwnGradientUpdater extends ComputationGraphUpdater {

    private OwnGradientUpdater(ComputationGraph graph, INDArray state) {
        super(graph, state);
        updaterBlocks.replaceAll(FlatViewBlock::new);
    }

    /** Replaces {@code graph}'s updater by one on the same state (its Adam moments, say), once. */
    static void install(ComputationGraph graph) {
        ComputationGraphUpdater current = graph.getUpdater();
        if (!(current instanceof OwnGradientUpdater)) {
            graph.setUpdater(new OwnGradientUpdater(graph, current.getStateViewArray()));
        }
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray own = getFlattenedGradientsView();
        INDArray given = gradient.gradient();
        boolean same = given != null && own != null && given.length() == own.length()
            && given.data().addressPointer().address() == own.data().addressPointer().address();
        super.update(same ? new Viewed(gradient, own) : gradient, iteration, epoch, batchSize, workspaceMgr);
    }

    /** The gradient as it is, but for {@link #gradient()}: the network's own view object. */
    private record Viewed(Gradient of, INDArray view) implements Gradient {
        @Override
        public Map<String, INDArray> gradientForVariable() {
            return of.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return of.gradient(order);
        }

        @Override
        public INDArray gradient() {
            return view;
        }

        @Override
        public void clear() {
            of.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return of.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient) {
            return of.setGradientFor(variable, gradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
            return of.setGradientFor(variable, gradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return of.flatteningOrderForVariable(variable);
        }
    }

    /**
     * An updater block that keeps its flattened gradient view. DL4J 1.0.0-M2.1's {@code
     * UpdaterBlock.update} reshapes its block's gradient view twice on every batch (once for the
     * external-gradient path it then does not take), and each reshape of a view with an offset is a
     * new native view buffer to free later: 63 of the ~390 registrations of a depth-6 MLP's batch.
     * This one runs the same steps on the same arrays (regularization before, the updater, weight
     * decay after) with the flattened view made once: the same arithmetic on the same memory
     * (OwnGradientUpdaterTest compares parameters and state bit for bit).
     */
    static final class FlatViewBlock extends UpdaterBlock {
        private INDArray flatOf;
        private INDArray flat;

        FlatViewBlock(UpdaterBlock of) {
            super(of.getParamOffsetStart(), of.getParamOffsetEnd(), of.getUpdaterViewOffsetStart(),
                of.getUpdaterViewOffsetEnd(), of.getLayersAndVariablesInBlock());
            setUpdaterView(of.getUpdaterView());
            setGradientView(of.getGradientView());
            setUpdaterViewRequiresInitialization(of.isUpdaterViewRequiresInitialization());
            setGradientUpdater(of.getGradientUpdater());
        }

        @Override
        public void update(int iteration, int epoch) {
            GradientUpdater updater = getGradientUpdater();
            if (getLayersAndVariablesInBlock().get(0).getLayer().numParams() == 0) {
                return;
            }
            INDArray view = getGradientView();
            if (view != flatOf) {
                flat = view.reshape(view.length());
                flatOf = view;
            }
            applyRegularizationAllVariables(Regularization.ApplyStep.BEFORE_UPDATER, iteration, epoch, false, view, null);
            updater.applyUpdater(flat, iteration, epoch);
            applyRegularizationAllVariables(Regularization.ApplyStep.POST_UPDATER, iteration, epoch, false, view, null);
        }
    }
}
