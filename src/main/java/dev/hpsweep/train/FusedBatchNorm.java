package dev.hpsweep.train;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNormDerivative;
import org.nd4j.linalg.api.ops.impl.reduce.Moments;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization for DL4J's {@link BatchNormalization} layer in two of libnd4j's fused ops,
 * {@code batchnorm} forward and {@code batchnorm_bp} backward, through the layer's own helper seam
 * (the one DL4J's oneDNN helper uses, which this follows). DL4J 1.0.0-M2.1's built-in path spells
 * batch norm out in about 20 small ops a batch (mean, variance, broadcasts, sums, and the same mean
 * and variance again in backprop), each with its output buffer, its op context and its
 * dimension arrays for ND4J to free later: 380 of the 628 native objects a depth-6 MLP's training
 * batch registered for deallocation (docs/BENCHMARKS.md). Here a layer's batch takes a mean, a
 * variance and one fused op forward, one fused op backward, with the op contexts and the batch
 * statistics kept by the layer across batches.
 *
 * <p>Same model, same parameters, same saved files; the gradient is the same function, computed in
 * another order, so numbers differ from the built-in path in the last float bits
 * (FusedBatchNormTest bounds the difference). A dense layer's batch mean and variance are
 * computed by the very ops the built-in path uses, so the running statistics DL4J keeps for an MLP
 * are updated as before; an image layer's come from libnd4j's {@code moments} op, in another
 * order. The ops run libnd4j's own kernels in either native build (not oneDNN's), so an MLP's
 * numbers do not depend on which build is loaded.
 */
final class FusedBatchNorm implements BatchNormalizationHelper {
    private static final Field HELPER = LayerHelpers.helperField(BatchNormalization.class);

    private static final int[] DENSE_DIMS = {0};
    private final BatchNorm forwardOp = new BatchNorm();
    private final BatchNormDerivative backwardOp = new BatchNormDerivative();
    /** Contexts built once per layer (their integer and float arguments stay); inputs and outputs are set per call. */
    private OpContext forward;
    private OpContext backward;
    /** Images' batch statistics: libnd4j's {@code moments} over N, H and W (built on a layer's first image batch). */
    private OpContext moments;
    private Moments momentsOp;
    private INDArray meanCache;
    private INDArray varCache;
    private INDArray dMean;
    private INDArray dVar;
    /**
     * A dense layer's mean and variance ops, built with the caches and kept: each new reduce op
     * allocates its dimensions as a native array, and libnd4j counts every such allocation and
     * free under one mutex for all threads (docs/BENCHMARKS.md, "Native allocations").
     */
    private Mean denseMean;
    private Variance denseVar;

    private FusedBatchNorm() {
    }

    /**
     * Gives each batch-norm layer of {@code graph} (frozen ones included, channels first) this helper, unless DL4J
     * already gave it one (oneDNN, cuDNN). {@code -Dhpsweep.fused.batchnorm=false} leaves DL4J's
     * built-in path.
     */
    static void install(ComputationGraph graph) {
        if (!enabled()) {
            return;
        }
        for (Layer inner : LayerHelpers.unwrapped(graph)) {
            if (inner instanceof BatchNormalization bn && !bn.layerConf().isLockGammaBeta()
                && bn.getHelper() == null) {
                LayerHelpers.set(HELPER, bn, new FusedBatchNorm());
            }
        }
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("hpsweep.fused.batchnorm", "true"));
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        if (gamma == null || beta == null || !x.dataType().isFPType() || format == CNN2DFormat.NHWC) {
            return null; // DL4J's own path (channels-last dense input reaches backprop as [N, 1, 1, C])
        }
        INDArray given = x;
        x = dense(x);
        contexts(eps);
        INDArray m;
        INDArray v;
        if (training) {
            long channels = x.size(1);
            if (meanCache == null || meanCache.length() != channels || meanCache.dataType() != x.dataType()) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(x.dataType(), channels);
                    varCache = Nd4j.createUninitialized(x.dataType(), channels);
                    dMean = Nd4j.createUninitialized(x.dataType(), channels);
                    dVar = Nd4j.createUninitialized(x.dataType(), channels);
                    denseMean = null;
                    denseVar = null;
                }
            }
            if (x.rank() == 2) {
                // The built-in path's own reductions (x.mean(0), x.var(false, 0)), so an MLP's
                // running statistics match it: the same ops as x.mean(meanCache, 0) and
                // new Variance(x, varCache, false, 0), kept from batch to batch with their dimensions.
                if (denseMean == null) {
                    try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        denseMean = new Mean(x, meanCache, false, DENSE_DIMS);
                        denseVar = new Variance(x, varCache, false, DENSE_DIMS);
                    }
                }
                denseMean.setX(x);
                Nd4j.getExecutioner().exec(denseMean);
                if (x.size(0) == 1 && x.size(1) > 1) {
                    // One row: ND4J skips the reduction (a "no-op" for a vector as long as its result),
                    // and Variance's no-op returns a new array of zeros without writing varCache, so
                    // the last batch's variance stayed. DL4J's x.var(false, 0) gets those zeros: so here.
                    varCache.assign(0);
                } else {
                    denseVar.setX(x);
                    Nd4j.getExecutioner().exec(denseVar);
                }
            } else {
                // Images: both from one libnd4j moments op (its own variance and mean reductions
                // over N, H and W, in native code). The built-in path's strided variance over N, H
                // and W took 3.0 ms on a 32 x 16 x 28 x 28 layer and its mean 0.4 ms; moments
                // takes 0.9 ms, and ResNet18 trains ~10% faster (docs/BENCHMARKS.md). Another
                // summation order, so a ResNet's running statistics differ from DL4J's path in the
                // last bits.
                if (moments == null) {
                    moments = Nd4j.getExecutioner().buildContext();
                    moments.setIArguments(0, 2, 3); // N, H, W of NCHW; no keepDims argument: [C] outputs
                    moments.allowHelpers(false);
                    momentsOp = new Moments();
                }
                moments.purge();
                moments.setInputArray(0, x);
                moments.setOutputArray(0, meanCache);
                moments.setOutputArray(1, varCache);
                Nd4j.exec(momentsOp, moments);
            }
            m = meanCache;
            v = varCache;
        } else {
            m = mean.rank() == 1 ? mean : mean.reshape(mean.length());
            v = var.rank() == 1 ? var : var.reshape(var.length());
        }
        // In the shape DL4J gave (it reshapes it back itself for a dense layer; a convolution's may really be 1 x 1).
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, given.dataType(), given.shape(),
            given.ordering());
        inputs(forward, x, m, v, gamma, beta);
        forward.setOutputArray(0, x == given ? out : out.reshape(out.ordering(), x.shape()));
        Nd4j.exec(forwardOp, forward);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (gamma == null || beta == null || dGammaView == null || meanCache == null
            || !input.dataType().isFPType() || format == CNN2DFormat.NHWC) {
            return null;
        }
        INDArray given = input;
        input = dense(input);
        epsilon = dense(epsilon);
        contexts(eps);
        INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, given.dataType(), given.shape(),
            given.ordering());
        inputs(backward, input, meanCache, varCache, gamma, beta);
        backward.setInputArray(5, epsilon);
        backward.setOutputArray(0, input == given ? epsAtInput : epsAtInput.reshape(epsAtInput.ordering(), input.shape()));
        backward.setOutputArray(1, dMean);
        backward.setOutputArray(2, dVar);
        backward.setOutputArray(3, dGammaView.rank() == 1 ? dGammaView : dGammaView.reshape(dGammaView.length()));
        backward.setOutputArray(4, dBetaView.rank() == 1 ? dBetaView : dBetaView.reshape(dBetaView.length()));
        Nd4j.exec(backwardOp, backward);
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(g, epsAtInput);
    }

    /** Clears {@code c}'s arrays and sets the five inputs both ops start with (statistics and scale as vectors). */
    private static void inputs(OpContext c, INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta) {
        c.purge();
        c.setInputArray(0, x);
        c.setInputArray(1, mean);
        c.setInputArray(2, var);
        c.setInputArray(3, gamma.rank() == 1 ? gamma : gamma.reshape(gamma.length()));
        c.setInputArray(4, beta.rank() == 1 ? beta : beta.reshape(beta.length()));
    }

    /**
     * A dense layer's activations as DL4J hands them to a helper, [N, C, 1, 1], seen again as the
     * [N, C] they are (a view): the statistics are then reduced over dimension 0 exactly as the
     * built-in path reduces them. What this helper returns keeps the shape it was given.
     */
    private static INDArray dense(INDArray x) {
        if (x.rank() == 4 && x.size(2) == 1 && x.size(3) == 1) {
            return x.reshape(x.ordering(), x.size(0), x.size(1));
        }
        return x;
    }

    /** Built on first use; a layer's epsilon never changes. Channels are axis 1 (NCHW, or [N, C]). */
    private void contexts(double eps) {
        if (forward != null) {
            return;
        }
        forward = Nd4j.getExecutioner().buildContext();
        forward.setIArguments(1, 1, 1);
        forward.setTArguments(eps);
        backward = Nd4j.getExecutioner().buildContext();
        backward.setIArguments(1, 1, 1);
        backward.setTArguments(eps);
        // libnd4j's own kernels, not its oneDNN ones where the build has them (pom.xml): the same
        // numbers in either build (the golden sweep's batch-norm trials changed with oneDNN's), and
        // no slower here (ResNet18 116-134 images/s with either, alternately; one 32 x 16 x 28 x 28
        // layer 0.6 / 3.0-3.9 ms forward / backward in libnd4j's, 0.8-1.0 / 4.0-7.3 ms in oneDNN's).
        forward.allowHelpers(false);
        backward.allowHelpers(false);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
