package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hpsweep.space.TrialSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Every call of a trainer a user's model type builds runs inside an ND4J scope, and leaves none open. */
class ScopedTrainerTest {

    @Test
    void everyCallAndTheBuildingRunInsideAScope() throws Exception {
        List<String> seen = new ArrayList<>();
        TrainerFactory user = trial -> {
            seen.add("create " + Nd4jRuntime.inScope());
            return new Trainer() {
                @Override
                public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
                    seen.add("epoch " + Nd4jRuntime.inScope());
                    return new EpochResult(Map.of("val_accuracy", 0.5), 1, 1, 0.1, Map.of());
                }

                @Override
                public void save(OutputStream out) {
                    seen.add("save " + Nd4jRuntime.inScope());
                }

                @Override
                public void restore(InputStream in) {
                    seen.add("restore " + Nd4jRuntime.inScope());
                }

                @Override
                public void saveModel(Path target) {
                    seen.add("model " + Nd4jRuntime.inScope());
                }

                @Override
                public void close() {
                    seen.add("close " + Nd4jRuntime.inScope());
                }
            };
        };
        TrialSpec trial = TrainerContract.trial(List.of(), Map.of(), 1);
        try (Trainer t = ScopedTrainer.around(user).create(trial)) {
            assertEquals(0.5, t.runEpoch(1).metrics().get("val_accuracy"));
            t.save(OutputStream.nullOutputStream());
            t.restore(InputStream.nullInputStream());
            t.saveModel(Path.of("unused"));
        }
        assertEquals(List.of("create true", "epoch true", "save true", "restore true", "model true", "close true"), seen);
        assertFalse(Nd4jRuntime.inScope(), "no scope left open");
    }
}
