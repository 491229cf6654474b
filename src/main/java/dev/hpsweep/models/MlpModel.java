package dev.hpsweep.models;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.data.FeatureEncoding;
import dev.hpsweep.data.Shape;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.Dl4jSavedModel;
import dev.hpsweep.train.Dl4jSettings;
import dev.hpsweep.train.Dl4jTrainer;
import dev.hpsweep.train.MlpNetwork;
import dev.hpsweep.train.Nd4jSplits;
import dev.hpsweep.train.TrainerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code mlp}: a multi-layer perceptron ({@link MlpNetwork}) on tabular data, with an optional
 * input encoding, trained by the shared DL4J loop. Its parameters keep the order they had before
 * the model seam, so leaderboard.csv columns of existing sweeps do not move.
 */
public final class MlpModel implements ModelType {
    public static final String NAME = "mlp";

    private static final List<ParamDef> PARAMS = declare();

    private static List<ParamDef> declare() {
        List<ParamDef> p = new ArrayList<>();
        p.add(ParamDef.integerAtLeast("depth", 1, 6,
            "Hidden layers, counting the first one after the input (depth 6 = 6 hidden + output)."));
        p.add(ParamDef.integerAtLeast("width", 1, 16, "Units in each hidden layer."));
        p.add(ParamDef.bool("batch_norm", false, "Batch normalisation between each dense layer and its activation."));
        p.addAll(Dl4jSettings.OPTIMIZER);
        p.add(ParamDef.oneOf("activation", List.of("relu", "tanh", "sigmoid", "leakyrelu"), "relu",
            "Activation of the hidden layers."));
        p.add(ParamDef.bool("residual", false, "Skip connections: every hidden layer after the first adds its "
            + "input to its output, h + act(BN(W h)) (the first one changes the width, so has none)."));
        p.addAll(Dl4jSettings.REGULARISATION_AND_SCHEDULE);
        p.add(ParamDef.oneOf("input_encoding", FeatureEncoding.KINDS, "raw", "Features fed to the network: raw (as "
            + "in the data), standardized (mean 0, sd 1 per column, statistics of the training split), sine "
            + "(sin(alpha * x) for each alpha of sine_alphas and each column)."));
        p.add(ParamDef.numberListAbove("sine_alphas", 0.0, List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
            "sine encoding: the frequencies alpha; (long, lat) with 10 alphas gives 20 features."));
        p.addAll(Dl4jSettings.DIAGNOSTICS);
        return List.copyOf(p);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParamDef> params() {
        return PARAMS;
    }

    @Override
    public boolean transfers() {
        return true;
    }

    @Override
    public Set<DataKind> accepts() {
        return Set.of(DataKind.TABULAR);
    }

    @Override
    public TrainerFactory trainers(TrainingContext context) {
        Dataset data = context.data();
        Nd4jSplits.Cache arrays = new Nd4jSplits.Cache();
        return trial -> {
            FeatureEncoding encoding = encoding(trial, data);
            Nd4jSplits splits = arrays.get(encoding.key(), key -> Nd4jSplits.of(encoding.encode(data.train()),
                encoding.encode(data.validation()), encoding.encode(data.test()),
                Shape.of(encoding.width(data.numFeatures())), data.numClasses()));
            return new Dl4jTrainer(trial.id(), context.sweepSeed(), trial.epochs(), Dl4jSettings.from(trial),
                MlpNetwork.from(trial), splits, context.init());
        };
    }

    /** The trial's input encoding, fitted on the training split of {@code data}. */
    public static FeatureEncoding encoding(TrialSpec trial, Dataset data) {
        return FeatureEncoding.fit(trial.stringParam("input_encoding"), trial.doubleListParam("sine_alphas"),
            data.train());
    }

    @Override
    public Optional<Predictor> savedModel(Path file, Map<String, Object> params, Dataset data) {
        Object alphas = params.get("sine_alphas");
        @SuppressWarnings("unchecked")
        List<Double> sine = alphas instanceof List<?> list ? list.stream().map(v -> ((Number) v).doubleValue()).toList()
            : (List<Double>) PARAMS.stream().filter(p -> p.name().equals("sine_alphas")).findFirst().orElseThrow()
                .defaultValue();
        FeatureEncoding encoding = FeatureEncoding.fit(String.valueOf(params.getOrDefault("input_encoding", "raw")),
            sine, data.train());
        Dl4jSavedModel model = Dl4jSavedModel.read(file, encoding::encode);
        return Optional.of(model::predict);
    }

    /** The same numbers on either native build: its layers run libnd4j's own kernels in either build (NativeBuildsTest). */
    @Override
    public boolean dependsOnNativeBuild() {
        return false;
    }
}
