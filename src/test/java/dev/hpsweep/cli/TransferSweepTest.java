package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of sweeps through the command line: one sweep trains a model, the next ones start from
 * its best trial's saved model ({@code model.init}), frozen (probe) or not (fine-tune).
 */
class TransferSweepTest {
    @TempDir
    static Path dir;

    static CliTest.Result run(String name, String model, String... extra) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
            name: %s
            seed: 3
            dataset: {name: europe-cities}
            model: %s
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            fixed: {depth: 2, width: 16, batch_size: 2048}
            search: {strategy: grid, params: [{lr: [0.01, 0.003]}]}
            execution: {max_concurrent_trials: 2}
            """.formatted(name, model));
        String[] args = new String[3 + 4 + extra.length];
        args[0] = extra.length > 0 && extra[0].equals("validate") ? "validate" : "run";
        args[1] = file.toString();
        args[2] = "--logs";
        args[3] = dir.resolve("logs").toString();
        int i = 4;
        if (!args[0].equals("validate")) {
            args[i++] = "--checkpoints";
            args[i++] = dir.resolve("ckpt").toString();
        }
        return CliTest.hpsweep(java.util.Arrays.copyOf(args, i));
    }

    @BeforeAll
    static void pretrain() throws Exception {
        CliTest.Result r = run("source", "{type: mlp}");
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void aProbeStartsFromTheBestTrialAndJournalsItsFingerprint() throws Exception {
        CliTest.Result r = run("probe", "{type: mlp, init: {from: {sweep: source, trial: best}}, freeze: backbone}");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("backbone frozen"), r.out());
        String board = Files.readString(dir.resolve("logs/source/leaderboard.csv"));
        String best = board.lines().skip(1).findFirst().orElseThrow().split(",")[1];
        assertTrue(r.out().contains("source/trials/" + best + "/model.zip"), r.out());
        var provenance = new ObjectMapper().readTree(dir.resolve("logs/probe/provenance.json").toFile());
        assertEquals("backbone", provenance.get("model").get("freeze").asText());
        assertEquals("source", provenance.get("model").get("init").get("sweep").asText());
    }

    @Test
    void fineTuningFromANamedTrialTrains() throws Exception {
        CliTest.Result r = run("tune", "{type: mlp, init: {from: {sweep: source, trial: trial-0002}}}");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("every layer fine-tuned"), r.out());
    }

    @Test
    void resumingAfterTheSourceModelChangedIsRefusedNamingIt() throws Exception {
        assertEquals(0, run("again", "{type: mlp, init: {from: {sweep: source, trial: trial-0001}}}").code());
        Path model = dir.resolve("logs/source/trials/trial-0001/model.zip");
        byte[] original = Files.readAllBytes(model);
        try {
            Files.write(model, new byte[] {1}, StandardOpenOption.APPEND);
            CliTest.Result r = CliTest.hpsweep("resume", "again", "--logs", dir.resolve("logs").toString(),
                "--checkpoints", dir.resolve("ckpt").toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("or the model the trials start from"), r.err());
        } finally {
            Files.write(model, original);
        }
    }

    @Test
    void aMissingSourceSweepOrTrialIsAnInputErrorAtItsLine() throws Exception {
        CliTest.Result none = run("bad1", "{type: mlp, init: {from: {sweep: nowhere}}}", "validate");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("bad1.yaml:4:41") && none.err().contains("cannot start from sweep 'nowhere'"),
            none.err());
        CliTest.Result trial = run("bad2", "{type: mlp, init: {from: {sweep: source, trial: trial-0009}}}", "validate");
        assertEquals(2, trial.code(), trial.err());
        assertTrue(trial.err().contains("model.init.from.trial") && trial.err().contains("has no trial 'trial-0009'"),
            trial.err());
        CliTest.Result freeze = run("bad3", "{type: mlp, freeze: backbone}", "validate");
        assertEquals(2, freeze.code(), freeze.err());
        assertTrue(freeze.err().contains("freeze needs a model to start from"), freeze.err());
        Path boosterFile = dir.resolve("bad4.yaml");
        Files.writeString(boosterFile, """
            name: bad4
            dataset: {name: europe-cities}
            model: {type: xgboost, init: {from: {sweep: source}}}
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            search: {strategy: grid, params: [{eta: [0.1]}]}
            """);
        CliTest.Result booster = CliTest.hpsweep("validate", boosterFile.toString(), "--logs", dir.resolve("logs").toString());
        assertEquals(2, booster.code(), booster.err());
        assertTrue(booster.err().contains("cannot start from a saved model"), booster.err());
        assertFalse(List.of(none, trial, freeze, booster).stream().anyMatch(r -> r.err().contains("\tat ")));
    }
}
