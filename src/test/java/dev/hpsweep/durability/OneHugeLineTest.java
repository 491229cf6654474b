package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV file whose one line is larger than the heap (seen: 2.4 GB) is refused at that line, not with an OutOfMemoryError. */
class OneHugeLineTest {
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
    void aCsvLineLargerThanTheHeapIsAnErrorAtItsLineWithExitCode2() throws Exception {
        Path train = dir.resolve("train.csv");
        try (BufferedWriter w = Files.newBufferedWriter(train)) {
            w.write("long,lat,country\n1,2,");
            char[] block = "0".repeat(1 << 20).toCharArray();
            for (int i = 0; i < 96; i++) {
                w.write(block);   // 96 Mi characters, 192 MiB as a Java string: more than the child's 64 MiB heap
            }
            w.write("\n");
        }
        Files.writeString(dir.resolve("validation.csv"), "long,lat,country\n1,2,0\n");
        Files.writeString(dir.resolve("test.csv"), "long,lat,country\n1,2,0\n");
        Files.writeString(dir.resolve("huge.yaml"), """
            name: huge
            dataset: {csv: {train: train.csv, validation: validation.csv, test: test.csv}}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            search: {strategy: grid, params: [{lr: [0.01]}]}
            """);

        child = SweepProcess.startWithHeap(dir, "child.log", "-Xmx64m", "validate", "huge.yaml");
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "validate did not end");

        String out = Files.readString(dir.resolve("child.log"));
        assertEquals(2, child.exitValue(), out);
        assertTrue(out.contains("train.csv:2: line is longer than 65536 characters"), out);
        assertFalse(out.contains("\tat "), out);
    }
}
