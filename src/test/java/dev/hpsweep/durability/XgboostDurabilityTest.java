package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XGBoost boosters under kill -9 and resume, in child JVMs: with row and column sampling below 1,
 * whose random draws are not in the booster's bytes, the resumed sweep must still equal an
 * uninterrupted one bit for bit (metrics.jsonl of every trial, leaderboard.csv but for timings).
 */
class XgboostDurabilityTest {
    static final String SPACE = """
        name: boosted
        seed: 5
        dataset: {name: europe-cities}
        model: {type: xgboost}
        objective: {metric: val_accuracy, mode: max}
        epochs: 10
        fixed: {max_depth: 4, rounds_per_epoch: 3, subsample: 0.7, colsample_bytree: 0.5}
        search:
          strategy: grid
          params:
            - eta: [0.1, 0.3, 0.05]
        execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 1, keep_last: 2}
        """;

    @TempDir
    Path reference;

    @TempDir
    Path dir;

    @Test
    void killNineAtRandomMomentsThenResumeGivesTheUninterruptedBoostersBitForBit() throws Exception {
        Files.writeString(reference.resolve("boosted.yaml"), SPACE);
        assertEquals(0, SweepProcess.runToEnd(reference, "child.log", "run", "boosted.yaml"),
            Files.readString(reference.resolve("child.log")));
        TreeMap<String, List<String>> baseline = SweepProcess.results(reference.resolve("logs/boosted"));
        assertEquals(4, baseline.size());

        Files.writeString(dir.resolve("boosted.yaml"), SPACE);
        int kills = SweepProcess.killAndResumeUntilDone(dir, "boosted", new Random(7));
        assertTrue(kills >= 1, "the sweep finished before it could be killed");
        assertEquals(baseline, SweepProcess.results(dir.resolve("logs/boosted")), "after " + kills + " kills");
    }
}
