package dev.hpsweep.train;

import dev.hpsweep.space.ParamDef;
import dev.hpsweep.space.TrialSpec;
import java.util.List;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * How any DL4J network of hpsweep is trained, whatever its definition: the parameters every DL4J
 * model type declares (the groups below, declared once and listed by each model type), read once
 * from a trial into this record.
 *
 * @param optimizer       {@code adam} or {@code sgd}
 * @param lr              learning rate (of epoch 1, when a schedule varies it)
 * @param batchSize       examples per gradient step
 * @param momentum        sgd's (Nesterov) momentum; ignored by adam
 * @param gradClipNorm    global L2 norm the mean-loss gradient is clipped to; 0 for none
 * @param l2              L2 weight decay on the weights; 0 for none
 * @param schedule        learning rate per epoch
 * @param recordBatchLoss whether each batch's training loss is recorded (diagnostics)
 * @param recordGradLayers layers (as the network definition numbers them) whose gradient norm is recorded
 * @param output          the output layer and its loss ({@link OutputHead#PARAM}; softmax for a model
 *                        that does not declare it)
 */
public record Dl4jSettings(String optimizer, double lr, int batchSize, double momentum, double gradClipNorm,
                           double l2, LearningRateSchedule schedule, boolean recordBatchLoss,
                           List<Integer> recordGradLayers, OutputHead output) {

    /** The optimizer group. */
    public static final List<ParamDef> OPTIMIZER = List.of(
        ParamDef.oneOf("optimizer", List.of("adam", "sgd"), "adam", "Gradient-descent updater."),
        ParamDef.numberAbove("lr", 0.0, 0.001, "Learning rate."),
        ParamDef.integerAtLeast("batch_size", 1, 256, "Examples per gradient step."),
        ParamDef.numberInHalfOpen("momentum", 0.0, 1.0, 0.9, "Momentum of sgd; ignored by adam."));

    /** Gradient clipping, weight decay and the learning-rate schedule. */
    public static final List<ParamDef> REGULARISATION_AND_SCHEDULE = List.of(
        ParamDef.numberAtLeast("grad_clip_norm", 0.0, 0.0, "Rescale each step's gradient (weights, biases, "
            + "batch-norm scale and shift) so its global L2 norm is at most this; 0 turns it off."),
        ParamDef.numberAtLeast("l2", 0.0, 0.0, "L2 weight decay on the weights: adds l2 * w to their gradient "
            + "(PyTorch's weight_decay); 0 turns it off."),
        ParamDef.oneOf("lr_schedule", List.of("none", "step", "cosine"), "none", "Learning rate per epoch: "
            + "none (constant lr), step (lr * lr_step_gamma every lr_step_every epochs), cosine "
            + "(from lr at epoch 1 down to lr_min at the last epoch)."),
        ParamDef.integerAtLeast("lr_step_every", 1, 10, "step schedule: epochs between two decays."),
        ParamDef.numberAbove("lr_step_gamma", 0.0, 0.1, "step schedule: factor applied at each decay."),
        ParamDef.numberAtLeast("lr_min", 0.0, 0.0, "cosine schedule: learning rate of the last epoch."));

    /** What a trial records besides its metrics. */
    public static final List<ParamDef> DIAGNOSTICS = List.of(
        ParamDef.bool("record_batch_loss", false, "Diagnostics: record the training loss of every batch "
            + "(written to the trial's diagnostics.jsonl)."),
        ParamDef.integerListAtLeast("record_grad_layers", 0, List.of(), "Diagnostics: layers (for an mlp: 0 = "
            + "first hidden dense layer, depth = output) whose weight-gradient ||g||^2, averaged over each "
            + "epoch's batches, is recorded; empty records none."));

    public Dl4jSettings {
        recordGradLayers = List.copyOf(recordGradLayers);
    }

    public static Dl4jSettings from(TrialSpec trial) {
        return new Dl4jSettings(trial.stringParam("optimizer"), trial.doubleParam("lr"), trial.intParam("batch_size"),
            trial.doubleParam("momentum"), trial.doubleParam("grad_clip_norm"), trial.doubleParam("l2"),
            LearningRateSchedule.of(trial), trial.boolParam("record_batch_loss"),
            trial.intListParam("record_grad_layers"), trial.params().containsKey(OutputHead.PARAM.name())
                ? OutputHead.of(trial.stringParam(OutputHead.PARAM.name())) : OutputHead.SOFTMAX);
    }

    IUpdater updater() {
        return switch (optimizer) {
            case "adam" -> new Adam(lr);
            // DL4J has no classical-momentum SGD; Nesterov momentum is its closest equivalent.
            case "sgd" -> momentum > 0 ? new Nesterovs(lr, momentum) : new Sgd(lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'");
        };
    }
}
