package dev.hpsweep.train;

import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import dev.hpsweep.space.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Trials of a small MLP grid on europe-cities, built through the real loader, for trainer tests. */
final class TestTrials {
    private TestTrials() {
    }

    /** The grid {@code params} (one YAML flow entry) with {@code fixed}, {@code epochs} per trial. */
    static List<TrialSpec> expand(Path dir, int epochs, String fixed, String params) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
            name: t
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: %d
            fixed: %s
            search: {strategy: grid, params: [%s]}
            """.formatted(epochs, fixed, params));
        return TrialExpander.expand(SearchSpaceLoader.load(file));
    }
}
