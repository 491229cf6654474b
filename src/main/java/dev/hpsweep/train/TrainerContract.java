package dev.hpsweep.train;

import dev.hpsweep.space.ModelCatalogue;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.space.TrialSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The rules every {@link Trainer} must keep for hpsweep to resume, compare and stop trials
 * correctly; each model type, built in or a user's, runs {@link #check}. It needs no test
 * framework: a broken rule throws an {@link AssertionError} that says which rule and how.
 *
 * <ol>
 *   <li>Same trial, same seed: two trainers report bit-identical epochs (metrics, diagnostics,
 *       iterations, samples).</li>
 *   <li>Interrupted inside an epoch (after its first step), saved, and restored into a fresh
 *       trainer, the trial's remaining epochs are bit-identical to an uninterrupted run; so are
 *       they after a save and restore between two epochs.</li>
 *   <li>A trial whose loss becomes non-finite ends in {@link TrainingFailedException}.</li>
 *   <li>{@link Trainer#close()} twice is safe.</li>
 * </ol>
 *
 * <p>From a JUnit test of a user's model type:
 * <pre>{@code
 * MyModel model = new MyModel();
 * TrainerFactory factory = model.trainers(new TrainingContext(data, 42, 1));
 * TrainerContract.check(factory,
 *     TrainerContract.trial(model.params(), Map.of("lr", 0.1), 3),     // at least 2 steps per epoch
 *     TrainerContract.trial(model.params(), Map.of("lr", 1e30), 3));   // a trial that diverges
 * }</pre>
 */
public final class TrainerContract {
    private TrainerContract() {
    }

    /**
     * A trial {@code trial-0001} of a model type with these parameters: every declared default,
     * overridden by {@code values}, and {@code epochs}.
     */
    public static TrialSpec trial(List<ParamDef> declared, Map<String, Object> values, int epochs) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (ParamDef def : declared) {
            Object value = values.containsKey(def.name()) ? values.get(def.name()) : def.defaultValue();
            def.check(value).ifPresent(rule -> {
                throw new IllegalArgumentException(def.name() + ": " + rule);
            });
            params.put(def.name(), value);
        }
        for (String name : values.keySet()) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("the model type declares no parameter '" + name + "'");
            }
        }
        params.put(ModelCatalogue.EPOCHS.name(), epochs);
        return new TrialSpec(TrialSpec.idOf(0), 0, params, Map.of());
    }

    /**
     * Checks every rule.
     *
     * @param trial     a trial of at least 2 epochs whose epochs take at least 2 steps (batches,
     *                  rounds), so that one can be interrupted inside
     * @param diverging a trial whose training loss becomes non-finite within its epochs
     */
    public static void check(TrainerFactory factory, TrialSpec trial, TrialSpec diverging) {
        Objects.requireNonNull(factory, "factory");
        int epochs = trial.epochs();
        if (epochs < 2) {
            throw new IllegalArgumentException("the contract needs a trial of at least 2 epochs, but got " + epochs);
        }
        List<EpochResult> straight = run(factory, trial, epochs);
        sameSeedSameEpochs(factory, trial, straight);
        resumedBetweenEpochs(factory, trial, straight);
        resumedInsideAnEpoch(factory, trial, straight);
        failsOnNonFiniteLoss(factory, diverging);
        closeTwiceIsSafe(factory, trial);
    }

    private static List<EpochResult> run(TrainerFactory factory, TrialSpec trial, int epochs) {
        List<EpochResult> results = new ArrayList<>();
        try (Trainer t = factory.create(trial)) {
            for (int e = 1; e <= epochs; e++) {
                results.add(t.runEpoch(e));
            }
        }
        return results;
    }

    private static void sameSeedSameEpochs(TrainerFactory factory, TrialSpec trial, List<EpochResult> straight) {
        List<EpochResult> again = run(factory, trial, trial.epochs());
        for (int e = 1; e <= straight.size(); e++) {
            same("same seed, same trial: epoch " + e, straight.get(e - 1), again.get(e - 1));
        }
    }

    private static void resumedBetweenEpochs(TrainerFactory factory, TrialSpec trial, List<EpochResult> straight) {
        byte[] checkpoint;
        try (Trainer first = factory.create(trial)) {
            same("epoch 1 before a checkpoint", straight.get(0), first.runEpoch(1));
            checkpoint = save(first);
        }
        try (Trainer second = factory.create(trial)) {
            restore(second, checkpoint);
            for (int e = 2; e <= straight.size(); e++) {
                same("restored after epoch 1: epoch " + e, straight.get(e - 1), second.runEpoch(e));
            }
        }
    }

    private static void resumedInsideAnEpoch(TrainerFactory factory, TrialSpec trial, List<EpochResult> straight) {
        byte[] checkpoint;
        try (Trainer first = factory.create(trial)) {
            same("epoch 1 before an interrupted epoch", straight.get(0), first.runEpoch(1));
            int[] polls = {0};
            // The first poll comes before the first step, the second after it: stop there.
            BooleanSupplier stopAfterOneStep = () -> ++polls[0] >= 2;
            try {
                first.runEpoch(2, stopAfterOneStep);
                throw new AssertionError("epoch 2 ended although stopRequested was true after its first step (polled "
                    + polls[0] + " times): a trainer must poll stopRequested between steps and then throw "
                    + "TrainingInterruptedException; or the trial has a single step per epoch, too few for this check");
            } catch (TrainingInterruptedException expected) {
                // what the contract asks
            }
            checkpoint = save(first);
        }
        try (Trainer second = factory.create(trial)) {
            restore(second, checkpoint);
            for (int e = 2; e <= straight.size(); e++) {
                EpochResult resumed = second.runEpoch(e);
                same("interrupted inside epoch 2, restored: epoch " + e, straight.get(e - 1), resumed);
            }
        }
    }

    private static void failsOnNonFiniteLoss(TrainerFactory factory, TrialSpec diverging) {
        try (Trainer t = factory.create(diverging)) {
            for (int e = 1; e <= diverging.epochs(); e++) {
                EpochResult r = t.runEpoch(e);
                for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                    if (m.getKey().endsWith("_loss") && !Double.isFinite(m.getValue())) {
                        throw new AssertionError("epoch " + e + " reported " + m.getKey() + "=" + m.getValue()
                            + " instead of throwing TrainingFailedException");
                    }
                }
            }
        } catch (TrainingFailedException expected) {
            return;
        }
        throw new AssertionError("the diverging trial " + diverging.params() + " trained " + diverging.epochs()
            + " epochs without a TrainingFailedException; give a trial whose loss becomes non-finite");
    }

    private static void closeTwiceIsSafe(TrainerFactory factory, TrialSpec trial) {
        Trainer t = factory.create(trial);
        t.close();
        try {
            t.close();
        } catch (RuntimeException e) {
            throw new AssertionError("a second close() threw " + e, e);
        }
    }

    private static byte[] save(Trainer t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            t.save(out);
        } catch (IOException e) {
            throw new UncheckedIOException("save failed", e);
        }
        return out.toByteArray();
    }

    private static void restore(Trainer t, byte[] checkpoint) {
        try {
            t.restore(new ByteArrayInputStream(checkpoint));
        } catch (IOException e) {
            throw new UncheckedIOException("restore failed", e);
        }
    }

    private static void same(String what, EpochResult expected, EpochResult actual) {
        sameMetrics(what, expected, actual);
        if (!expected.diagnostics().equals(actual.diagnostics())) {
            throw new AssertionError(what + ": diagnostics differ: " + expected.diagnostics() + " vs "
                + actual.diagnostics());
        }
    }

    /** Metrics as exact bits (Double.equals), iterations and samples. */
    private static void sameMetrics(String what, EpochResult expected, EpochResult actual) {
        if (!expected.metrics().equals(actual.metrics())) {
            throw new AssertionError(what + ": metrics differ (bit for bit): expected " + expected.metrics()
                + " but got " + actual.metrics());
        }
        if (expected.iterations() != actual.iterations() || expected.samples() != actual.samples()) {
            throw new AssertionError(what + ": expected " + expected.iterations() + " steps over " + expected.samples()
                + " samples, but got " + actual.iterations() + " over " + actual.samples());
        }
    }
}
