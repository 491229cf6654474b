package dev.hpsweep.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model types hpsweep can train and the hyperparameters each understands: the single place
 * that knows them. Adding a model type is one entry in {@code models()}; adding a parameter is one
 * {@link ParamDef} in its list. Trainers read trial values by these names.
 */
public final class ModelCatalogue {

    /**
     * Every model type's epoch count. Its default is the file's top-level {@code epochs}; setting it
     * in {@code fixed} or {@code search} overrides that per trial (EXPERIMENTS 1.4 pairs batch size with epochs).
     */
    public static final ParamDef EPOCHS = ParamDef.integerAtLeast("epochs", 1, null,
            "Epochs this trial trains for; defaults to the top-level epochs.");

    private static final Map<String, List<ParamDef>> MODELS = models();

    private static Map<String, List<ParamDef>> models() {
        Map<String, List<ParamDef>> models = new LinkedHashMap<>();
        models.put("mlp", List.of(
                ParamDef.integerAtLeast("depth", 1, 6,
                        "Hidden layers, counting the first one after the input (depth 6 = 6 hidden + output)."),
                ParamDef.integerAtLeast("width", 1, 16, "Units in each hidden layer."),
                ParamDef.bool("batch_norm", false, "Batch normalisation between each dense layer and its activation."),
                ParamDef.oneOf("optimizer", List.of("adam", "sgd"), "adam", "Gradient-descent updater."),
                ParamDef.numberAbove("lr", 0.0, 0.001, "Learning rate."),
                ParamDef.integerAtLeast("batch_size", 1, 256, "Examples per gradient step."),
                ParamDef.numberInHalfOpen("momentum", 0.0, 1.0, 0.9, "Momentum of sgd; ignored by adam."),
                ParamDef.oneOf("activation", List.of("relu", "tanh", "sigmoid", "leakyrelu"), "relu",
                        "Activation of the hidden layers."),
                ParamDef.bool("residual", false, "Skip connections: every hidden layer after the first adds its "
                        + "input to its output, h + act(BN(W h)) (the first one changes the width, so has none)."),
                ParamDef.numberAtLeast("grad_clip_norm", 0.0, 0.0, "Rescale each step's gradient (weights, biases, "
                        + "batch-norm scale and shift) so its global L2 norm is at most this; 0 turns it off."),
                ParamDef.numberAtLeast("l2", 0.0, 0.0, "L2 weight decay on the weights: adds l2 * w to their gradient "
                        + "(PyTorch's weight_decay); 0 turns it off."),
                ParamDef.oneOf("lr_schedule", List.of("none", "step", "cosine"), "none", "Learning rate per epoch: "
                        + "none (constant lr), step (lr * lr_step_gamma every lr_step_every epochs), cosine "
                        + "(from lr at epoch 1 down to lr_min at the last epoch)."),
                ParamDef.integerAtLeast("lr_step_every", 1, 10, "step schedule: epochs between two decays."),
                ParamDef.numberAbove("lr_step_gamma", 0.0, 0.1, "step schedule: factor applied at each decay."),
                ParamDef.numberAtLeast("lr_min", 0.0, 0.0, "cosine schedule: learning rate of the last epoch."),
                ParamDef.oneOf("input_encoding", List.of("raw", "standardized", "sine"), "raw", "Features fed to "
                        + "the network: raw (as in the data), standardized (mean 0, sd 1 per column, statistics of "
                        + "the training split), sine (sin(alpha * x) for each alpha of sine_alphas and each column)."),
                ParamDef.numberListAbove("sine_alphas", 0.0,
                        List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
                        "sine encoding: the frequencies alpha; (long, lat) with 10 alphas gives 20 features."),
                ParamDef.bool("record_batch_loss", false, "Diagnostics: record the training loss of every batch "
                        + "(written to the trial's diagnostics.jsonl)."),
                ParamDef.integerListAtLeast("record_grad_layers", 0, List.of(), "Diagnostics: dense layers (0 = "
                        + "first hidden, depth = output) whose weight-gradient ||g||^2, averaged over each epoch's "
                        + "batches, is recorded; empty records none.")));
        return Collections.unmodifiableMap(models);
    }

    private ModelCatalogue() {
    }

    /** Known model types, in catalogue order. */
    public static List<String> types() {
        return List.copyOf(MODELS.keySet());
    }

    public static boolean isKnown(String modelType) {
        return MODELS.containsKey(modelType);
    }

    /**
     * The parameters of {@code modelType} in catalogue order (the order of {@link TrialSpec#params()}),
     * followed by {@link #EPOCHS}.
     *
     * @throws IllegalArgumentException for an unknown model type
     */
    public static List<ParamDef> params(String modelType) {
        List<ParamDef> own = MODELS.get(modelType);
        if (own == null) {
            throw new IllegalArgumentException("unknown model type '" + modelType + "'; known: " + types());
        }
        List<ParamDef> all = new ArrayList<>(own);
        all.add(EPOCHS);
        return List.copyOf(all);
    }

    /** Parameter names of {@code modelType}, in the order of {@link #params(String)}. */
    public static List<String> paramNames(String modelType) {
        return params(modelType).stream().map(ParamDef::name).toList();
    }

    public static Optional<ParamDef> param(String modelType, String name) {
        return params(modelType).stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
