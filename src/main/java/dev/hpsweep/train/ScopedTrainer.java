package dev.hpsweep.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * A trainer whose every call runs inside an {@link Nd4jRuntime#ops()} scope, so that a model type
 * that uses ND4J without knowing hpsweep's (a user's own trainer) is safe with the lean
 * deallocator: what a collection finds dead during one of its calls is freed only after the call.
 * hpsweep's own DL4J trainer also marks the boundaries between its batches, which frees sooner;
 * the scopes nest. Each epoch starts with a check of the resident-memory ceiling ({@link
 * ResidentCeiling}), which a trainer that marks no boundaries would otherwise never meet.
 */
public final class ScopedTrainer implements Trainer {
    private final Trainer inner;

    private ScopedTrainer(Trainer inner) {
        this.inner = inner;
    }

    /** {@code factory}, with each trainer it builds (and the building) inside a scope. */
    public static TrainerFactory around(TrainerFactory factory) {
        return trial -> {
            try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
                return new ScopedTrainer(factory.create(trial));
            }
        };
    }

    /** Checks the resident-memory ceiling first: a trainer that marks no boundaries is checked once per epoch. */
    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            ResidentCeiling.checkProcess();
            return inner.runEpoch(epoch, stopRequested);
        }
    }

    @Override
    public void save(OutputStream out) throws IOException {
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            inner.save(out);
        }
    }

    @Override
    public void restore(InputStream in) throws IOException {
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            inner.restore(in);
        }
    }

    @Override
    public void saveModel(Path target) {
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            inner.saveModel(target);
        }
    }

    @Override
    public void close() {
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            inner.close();
        }
    }
}
