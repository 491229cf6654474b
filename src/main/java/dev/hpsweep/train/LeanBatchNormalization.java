package dev.hpsweep.train;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSet;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.PowPairwise;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's batch-norm layer with its running-statistics update run by ops built once. When its
 * helper ({@link FusedBatchNorm}) has run a training batch's backprop, DL4J 1.0.0-M2.1's
 * {@code BatchNormalization.backpropGradient} turns the batch's mean and variance into the
 * "gradient" of the running mean and log10 std in 11 small ops, each built anew: five scalar ops
 * that each allocate their scalar natively and outside any workspace, and three new arrays. libnd4j
 * counts each such allocation and its free under one mutex for all threads (docs/BENCHMARKS.md,
 * "Native allocations"): 30 of a depth-6 MLP batch's 53 plain float allocations were these
 * scalars. This layer builds the same 11 ops once, over the same arrays (and three of its own),
 * and runs them again for each batch: the same ops in the same order on the same values, so the
 * same bits (LeanBatchNormalizationTest compares parameters and running statistics with DL4J's
 * layer, dense and convolutional). Anything else (no fused helper, fixed gamma and beta, the
 * variance parameterization, a helper that failed) is DL4J's own code, and so is the forward pass.
 * {@code -Dhpsweep.lean.batchnorm=false} keeps DL4J's layer; the graph's own (not frozen) layers
 * are replaced before the trainer's helpers are set.
 */
final class LeanBatchNormalization extends BatchNormalization {
    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));
    private static final Field VERTEX_LAYER;

    static {
        try {
            VERTEX_LAYER = LayerVertex.class.getDeclaredField("layer");
            VERTEX_LAYER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The running-statistics update's ops, over the arrays they were built for. */
    private Update update;
    /** Batches whose update these ops ran, for tests. */
    long updates;

    /** Over {@code dl4j}'s own parameter and gradient views, as DL4J's configuration instantiates a layer. */
    private LeanBatchNormalization(BatchNormalization dl4j) {
        super(dl4j.conf(), dl4j.params().dataType());
        setListeners(dl4j.getListeners());
        setIndex(dl4j.getIndex());
        setParamsViewArray(dl4j.params());
        setParamTable(dl4j.paramTable());
        if (dl4j.getGradientsViewArray() != null) { // else the graph hands the views out on its first fit
            setBackpropGradientsViewArray(dl4j.getGradientsViewArray());
        }
        setIterationCount(dl4j.getIterationCount());
        setEpochCount(dl4j.getEpochCount());
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("hpsweep.lean.batchnorm", "true"));
    }

    /**
     * Puts one of these in place of each of {@code graph}'s own (not frozen) DL4J batch-norm layers
     * that uses the log10-std parameterization and learns gamma and beta; before its helpers are set.
     */
    static void install(ComputationGraph graph) {
        if (!enabled()) {
            return;
        }
        Layer[] layers = graph.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].getClass() == BatchNormalization.class) {
                BatchNormalization dl4j = (BatchNormalization) layers[i];
                if (dl4j.layerConf().isUseLogStd() && !dl4j.layerConf().isLockGammaBeta()) {
                    LeanBatchNormalization lean = new LeanBatchNormalization(dl4j);
                    replace(graph, dl4j, lean);
                    layers[i] = lean;
                }
            }
        }
    }

    private static void replace(ComputationGraph graph, Layer old, Layer lean) {
        for (GraphVertex v : graph.getVertices()) {
            if (v instanceof LayerVertex lv && lv.getLayer() == old) {
                try {
                    VERTEX_LAYER.set(lv, lean);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot reach DL4J's LayerVertex.layer", e);
                }
            }
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        if (!(getHelper() instanceof FusedBatchNorm helper) || conf.isLockGammaBeta() || !conf.isUseLogStd()
            || helperCountFail != 0) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        // As DL4J's: the helper's arguments, and the dense case seen as [N, C, 1, 1].
        assertInputSet(true);
        long[] shape = getShape(epsilon);
        CNN2DFormat format = conf.getCnn2DFormat();
        INDArray input = this.input.castTo(dataType);
        INDArray in = input;
        INDArray eps = epsilon;
        if (input.rank() == 2) {
            long[] shapeTemp = format == CNN2DFormat.NCHW ? new long[] {input.size(0), input.size(1), 1, 1}
                : new long[] {input.size(0), 1, 1, input.size(1)};
            in = input.reshape(input.ordering(), shapeTemp);
            eps = epsilon.reshape(epsilon.ordering(), shapeTemp);
        }
        INDArray dGlobalMeanView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray dGlobalLog10StdView = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        Pair<Gradient, INDArray> ret;
        try {
            ret = helper.backpropGradient(in, eps, shape,
                getParam(BatchNormalizationParamInitializer.GAMMA), getParam(BatchNormalizationParamInitializer.BETA),
                gradientViews.get(BatchNormalizationParamInitializer.GAMMA),
                gradientViews.get(BatchNormalizationParamInitializer.BETA), conf.getEps(), format, workspaceMgr);
        } catch (RuntimeException e) {
            // As DL4J's layer: a helper that fails falls back to the built-in path, if allowed.
            if (e instanceof org.nd4j.linalg.exception.ND4JOpProfilerException || !conf.isCudnnAllowFallback()
                || (e.getMessage() != null && e.getMessage().contains("Failed to allocate"))) {
                throw e;
            }
            helperCountFail++;
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        if (ret == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        ret.getFirst().setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dGlobalMeanView);
        ret.getFirst().setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dGlobalLog10StdView);
        if (input.rank() == 2) {
            INDArray e = ret.getSecond();
            ret.setSecond(e.reshape(e.ordering(), e.size(0), e.size(1)));
        }

        // DL4J's update, op for op: mean[t] - batch mean, times (1 - decay); log10 of
        // var[t] / (decay var[t] + (1 - decay) batch var), over 2 ln 10.
        INDArray[] arrays = {getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN), helper.getMeanCache(dataType),
            dGlobalMeanView, getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), helper.getVarCache(dataType),
            dGlobalLog10StdView};
        if (update == null || !update.over(arrays, conf.getDecay())) {
            update = new Update(arrays, conf.getDecay(), dataType);
        }
        update.run();
        updates++;
        return ret;
    }

    /**
     * The update's ops, built once over the arrays they read and write (the layer's parameter and
     * gradient views, the helper's batch statistics, three arrays of its own), each as the INDArray
     * method DL4J calls builds it: the same op, the same scalar. Run again for each batch, they
     * allocate nothing, where DL4J's calls make a native scalar per scalar op and three new arrays.
     */
    private static final class Update {
        private final INDArray[] arrays;
        private final double decay;
        private final Object[] ops;

        /** arrays: running mean, batch mean, its gradient view, running log10 std, batch variance, its gradient view. */
        Update(INDArray[] arrays, double decay, DataType dataType) {
            this.arrays = arrays.clone();
            this.decay = decay;
            INDArray globalMean = arrays[0];
            INDArray batchMean = arrays[1];
            INDArray dMean = arrays[2];
            INDArray globalLog10Std = arrays[3];
            INDArray batchVar = arrays[4];
            INDArray dLog10Std = arrays[5];
            INDArray variance;
            INDArray next;
            INDArray batchPart;
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                // The types DL4J's new arrays have: Nd4j.createUninitialized(dataType, ...) and mul(Number).
                variance = Nd4j.createUninitialized(dataType, globalLog10Std.shape());
                next = Nd4j.createUninitialized(Shape.pickPairwiseDataType(variance.dataType(), decay), variance.shape(),
                    variance.ordering());
                batchPart = Nd4j.createUninitialized(Shape.pickPairwiseDataType(batchVar.dataType(), 1 - decay),
                    batchVar.shape(), batchVar.ordering());
                ops = new Object[] {
                    new SubOp(globalMean, batchMean, dMean),                       // exec(new SubOp(...))
                    new ScalarMultiplication(dMean, null, dMean, 1 - decay),       // dMean.muli(1 - decay)
                    new ScalarSet(variance, 10.0),                                 // createUninitialized(...).assign(10.0)
                    new PowPairwise(variance, globalLog10Std, variance),           // Transforms.pow(vari, log10std, false)
                    new MulOp(variance, variance, variance),                       // vari.muli(vari)
                    new ScalarMultiplication(variance, null, next, decay),         // vari.mul(decay)
                    new ScalarMultiplication(batchVar, null, batchPart, 1 - decay), // batchVar.mul(1 - decay)
                    new AddOp(next, batchPart, next),                              // .addi(...)
                    new DivOp(variance, next, dLog10Std),                          // exec(new DivOp(...))
                    new Log(dLog10Std),                                            // Transforms.log(view, false)
                    new ScalarMultiplication(dLog10Std, null, dLog10Std, ONE_ON_2LOGE_10), // view.muli(1 / (2 ln 10))
                };
            }
        }

        /** Whether it was built over these very arrays and this decay. */
        boolean over(INDArray[] now, double d) {
            if (d != decay) {
                return false;
            }
            for (int i = 0; i < arrays.length; i++) {
                if (arrays[i] != now[i]) {
                    return false;
                }
            }
            return true;
        }

        void run() {
            for (Object op : ops) {
                if (op instanceof org.nd4j.linalg.api.ops.CustomOp custom) {
                    Nd4j.getExecutioner().exec(custom);
                } else {
                    Nd4j.getExecutioner().exec((org.nd4j.linalg.api.ops.Op) op);
                }
            }
        }
    }

}
