package dev.hpsweep.schedule;

import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Scripted learning curves: sequences of epochs as the aggregator would feed them to a rule. */
final class ScriptedEpochs {
    static final Objective ACCURACY = new Objective(Metrics.VAL_ACCURACY, Objective.Mode.MAX);

    private ScriptedEpochs() {
    }

    /** One call of {@link EarlyStopping#onEpoch}. */
    record Epoch(String trial, int epoch, double objective, Map<String, Double> metrics) {
        Decision feed(EarlyStopping rule) {
            return rule.onEpoch(trial, epoch, objective, metrics);
        }
    }

    static Epoch epoch(String trial, int epoch, double accuracy) {
        return epoch(trial, epoch, accuracy, 1.0);
    }

    static Epoch epoch(String trial, int epoch, double accuracy, double trainLoss) {
        return new Epoch(trial, epoch, accuracy, Map.of(Metrics.TRAIN_LOSS, trainLoss, Metrics.VAL_ACCURACY, accuracy));
    }

    /**
     * {@code trials} trials of {@code epochs} epochs with finite, noisy curves of different quality
     * (some flat, some stuck at a high loss), interleaved in an order drawn from {@code seed}, each
     * trial's epochs in order.
     */
    static List<Epoch> curves(int trials, int epochs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] level = new double[trials];
        double[] slope = new double[trials];
        for (int t = 0; t < trials; t++) {
            level[t] = 0.1 + 0.6 * random.nextDouble();
            slope[t] = t % 4 == 3 ? 0 : 0.05 * random.nextDouble();
        }
        int[] next = new int[trials];
        List<Epoch> sequence = new ArrayList<>();
        int remaining = trials * epochs;
        while (remaining > 0) {
            int t = random.nextInt(trials);
            if (next[t] == epochs) {
                continue;
            }
            int e = ++next[t];
            double acc = level[t] + slope[t] * Math.log(e) + 0.02 * (random.nextDouble() - 0.5);
            double loss = t % 4 == 3 ? 3.6 : 2.5 / e + 0.1 * random.nextDouble();
            sequence.add(epoch(String.format("trial-%04d", t + 1), e, acc, loss));
            remaining--;
        }
        return sequence;
    }

    static List<Decision> replay(EarlyStopping rule, List<Epoch> sequence) {
        List<Decision> decisions = new ArrayList<>();
        for (Epoch e : sequence) {
            decisions.add(e.feed(rule));
        }
        return decisions;
    }
}
