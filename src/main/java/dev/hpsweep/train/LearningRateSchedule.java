package dev.hpsweep.train;

import dev.hpsweep.space.TrialSpec;

/**
 * The learning rate of each epoch, from the trial's {@code lr_schedule}: {@code none} keeps
 * {@code lr}; {@code step} multiplies it by {@code lr_step_gamma} every {@code lr_step_every}
 * epochs (PyTorch's StepLR); {@code cosine} anneals it from {@code lr} at epoch 1 to
 * {@code lr_min} at the last epoch (PyTorch's CosineAnnealingLR with T_max = epochs - 1).
 * The rate changes between epochs, not within one.
 */
public record LearningRateSchedule(String type, double lr, int stepEvery, double stepGamma, double lrMin) {

    static LearningRateSchedule of(TrialSpec trial) {
        return new LearningRateSchedule(trial.stringParam("lr_schedule"), trial.doubleParam("lr"),
            trial.intParam("lr_step_every"), trial.doubleParam("lr_step_gamma"), trial.doubleParam("lr_min"));
    }

    boolean varies() {
        return !type.equals("none");
    }

    /** The rate of 1-based {@code epoch} of a trial of {@code epochs} epochs. */
    double rate(int epoch, int epochs) {
        return switch (type) {
            case "none" -> lr;
            case "step" -> lr * Math.pow(stepGamma, (epoch - 1) / stepEvery);
            case "cosine" -> epochs <= 1 ? lr
                : lrMin + 0.5 * (lr - lrMin) * (1 + Math.cos(Math.PI * (epoch - 1) / (epochs - 1)));
            default -> throw new IllegalArgumentException("unknown lr_schedule '" + type + "'");
        };
    }
}
