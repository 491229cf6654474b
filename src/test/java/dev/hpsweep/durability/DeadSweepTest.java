package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep whose process is killed with SIGKILL while {@code hpsweep tail} follows it. */
class DeadSweepTest {
    static final String SPACE = """
        name: dead
        seed: 3
        dataset: {name: europe-cities}
        model: {type: mlp}
        objective: {metric: val_accuracy, mode: max}
        epochs: 500
        fixed: {optimizer: adam, batch_size: 1024, depth: 1, width: 8}
        search: {strategy: grid, params: [{lr: [0.01]}]}
        """;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Process start(String log, String... args) throws Exception {
        Process p = SweepProcess.start(dir, log, args);
        children.add(p);
        return p;
    }

    @Test
    void tailEndsSayingTheSweepIsNotRunningOnceItsProcessIsKilled() throws Exception {
        Files.writeString(dir.resolve("dead.yaml"), SPACE);
        Process run = start("run.log", "run", "dead.yaml");
        assertTrue(SweepProcess.awaitText(run, dir.resolve("logs/dead/journal.jsonl"), "\"type\":\"epoch\"", 120_000),
            "no epoch was journalled: " + Files.readString(dir.resolve("run.log")));
        Process tail = start("tail.log", "tail", "dead");
        assertTrue(SweepProcess.awaitText(tail, dir.resolve("tail.log"), "epoch   1/500", 60_000), "tail showed no epoch");
        assertTrue(tail.isAlive(), "tail ended while the sweep ran: " + Files.readString(dir.resolve("tail.log")));

        run.destroyForcibly().waitFor();

        assertTrue(tail.waitFor(30, TimeUnit.SECONDS), "tail still follows a dead sweep");
        List<String> lines = Files.readAllLines(dir.resolve("tail.log"));
        assertEquals(1, tail.exitValue(), String.join("\n", lines));
        assertEquals("hpsweep: sweep 'dead' is not running: no process holds logs/dead/.lock and its log has no end "
            + "line (its process died); continue it with: bin/hpsweep resume dead", lines.get(lines.size() - 1));
    }
}
