package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project (search-space file, CSV data named relative to it, logs, checkpoints) whose sweep is
 * killed with SIGKILL, then moved with {@code mv}, is resumed from its new place.
 */
class MovedProjectTest {
    static final String SPACE = """
        name: moved
        seed: 5
        dataset: {csv: {train: ../data/train.csv, validation: ../data/validation.csv, test: ../data/test.csv}}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 20
        fixed: {optimizer: adam, batch_size: 32, depth: 1, width: 8}
        search: {strategy: grid, params: [{lr: [0.01, 0.003]}]}
        execution: {max_concurrent_trials: 1, threads_per_trial: 1, checkpoint_every: 2}
        """;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void aKilledSweepResumesAfterItsProjectWasMoved() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("spaces"));
        Files.writeString(project.resolve("spaces/moved.yaml"), SPACE);
        Files.createDirectories(project.resolve("data"));
        Random random = new Random(7);
        for (String split : new String[] {"train", "validation", "test"}) {
            StringBuilder csv = new StringBuilder("long,lat,country\n");
            for (int i = 0; i < (split.equals("train") ? 2000 : 200); i++) {
                double x = random.nextDouble() * 10;
                double y = random.nextDouble() * 10;
                csv.append(x).append(',').append(y).append(',').append(x > y ? 1 : 0).append('\n');
            }
            Files.writeString(project.resolve("data/" + split + ".csv"), csv);
        }
        Path journal = project.resolve("logs/moved/journal.jsonl");
        child = SweepProcess.start(project, "run.log", "run", "spaces/moved.yaml");
        assertTrue(SweepProcess.awaitText(child, journal, "\"type\":\"checkpoint\"", 120_000),
            "no checkpoint was journalled: " + Files.readString(project.resolve("run.log")));
        child.destroyForcibly().waitFor();

        Path elsewhere = Files.move(project, dir.resolve("elsewhere"));
        assertFalse(Files.exists(project));
        child = SweepProcess.start(elsewhere, "resume.log", "resume", "moved");
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "resume did not end");

        String out = Files.readString(elsewhere.resolve("resume.log"));
        assertEquals(0, child.exitValue(), out);
        String log = Files.readString(elsewhere.resolve("logs/moved/leaderboard.log"));
        assertTrue(log.contains("search space " + elsewhere.resolve("spaces/moved.yaml")), log);
        assertTrue(log.strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("=== sweep ended: moved, 2 trials"),
            log);
    }
}
