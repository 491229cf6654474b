package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hpsweep.cli.GoldenSweepTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MLP sweep gives the same numbers on libnd4j's plain build as on the oneDNN build the launcher
 * and the tests load (GoldenSweepTest runs the golden sweep on that one): its batch norm runs
 * libnd4j's own kernels in both, and an MLP has no convolutions.
 */
class NativeBuildsTest {
    @TempDir
    Path dir;

    @Test
    void theGoldenSweepOnThePlainBuildMatchesTheGoldenFilesBitForBit() throws Exception {
        Path file = Files.writeString(dir.resolve("mlp-cities.yaml"), GoldenSweepTest.goldenSpace());
        int code = SweepProcess.runToEndWithOptions(dir, "plain.log", List.of("-Dorg.bytedeco.javacpp.platform.extension="),
            "run", file.toString(), "--logs", dir.resolve("logs").toString(), "--checkpoints", dir.resolve("ckpt").toString());
        assertEquals(0, code, Files.readString(dir.resolve("plain.log")));
        Path sweep = dir.resolve("logs/golden-mlp");
        assertEquals("plain", new ObjectMapper().readTree(sweep.resolve("provenance.json").toFile())
            .get("environment").get("nd4j-native-build").asText(), "the child ran the plain build");
        GoldenSweepTest.assertMatchesTheGoldenFiles(sweep);
    }
}
