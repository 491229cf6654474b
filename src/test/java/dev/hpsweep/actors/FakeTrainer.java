package dev.hpsweep.actors;

import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.EpochResult;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainingFailedException;
import dev.hpsweep.train.TrainingInterruptedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A trainer without a model: val_accuracy = width / 100 + epoch / 1000, so the best trial is the
 * widest one; it fails on request and records how many epochs run at the same time. Public for
 * the cluster tests (dev.hpsweep.actors.cluster), whose workers train with it.
 */
public final class FakeTrainer implements Trainer {
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MAX_RUNNING = new AtomicInteger();

    private final TrialSpec trial;
    private final int failAtEpoch;
    private final long sleepMillis;

    /** {@code failAtEpoch} -1: never fails; each epoch takes {@code sleepMillis}. */
    public FakeTrainer(TrialSpec trial, int failAtEpoch, long sleepMillis) {
        this.trial = trial;
        this.failAtEpoch = failAtEpoch;
        this.sleepMillis = sleepMillis;
    }

    static void resetCounters() {
        RUNNING.set(0);
        MAX_RUNNING.set(0);
    }

    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        int now = RUNNING.incrementAndGet();
        MAX_RUNNING.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(sleepMillis / 2);
            if (stopRequested.getAsBoolean()) {
                throw new TrainingInterruptedException(trial.id() + " stopped in epoch " + epoch, epoch - 1, 1);
            }
            Thread.sleep(sleepMillis - sleepMillis / 2);
            if (epoch == failAtEpoch) {
                throw new TrainingFailedException("non-finite training loss in epoch " + epoch);
            }
            double acc = trial.intParam("width") / 100.0 + epoch / 1000.0;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(Metrics.TRAIN_LOSS, 1.0 / epoch);
            m.put(Metrics.TRAIN_ACCURACY, acc);
            m.put(Metrics.VAL_LOSS, 1.0 / epoch);
            m.put(Metrics.VAL_ACCURACY, acc);
            m.put(Metrics.TEST_LOSS, 1.0 / epoch);
            m.put(Metrics.TEST_ACCURACY, acc - 0.01);
            return new EpochResult(m, 10, 1000, sleepMillis / 1000.0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            RUNNING.decrementAndGet();
        }
    }

    @Override
    public void save(OutputStream out) throws IOException {
        out.write(trial.id().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void restore(InputStream in) throws IOException {
        String saved = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (!saved.equals(trial.id())) {
            throw new IOException("checkpoint of " + saved + " restored into " + trial.id());
        }
    }

    @Override
    public void close() {
    }
}
