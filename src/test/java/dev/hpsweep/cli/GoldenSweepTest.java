package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Existing tabular sweeps give exactly the numbers they gave before the model seam: the golden
 * files were written by the code before it (src/test/resources/golden/mlp-cities.yaml says how);
 * only wall-clock times are left out of the comparison.
 */
public class GoldenSweepTest {
    @TempDir
    Path dir;

    @Test
    void mlpSweepOnTheEmbeddedCitiesMatchesTheCommittedLeaderboardAndMetricsBitForBit() throws Exception {
        Path file = dir.resolve("mlp-cities.yaml");
        Files.writeString(file, resource("mlp-cities.yaml"));
        Path logs = dir.resolve("logs");
        CliTest.Result r = CliTest.hpsweep("run", file.toString(), "--logs", logs.toString(),
            "--checkpoints", dir.resolve("ckpt").toString());
        assertEquals(0, r.code(), r.out() + r.err());

        assertMatchesTheGoldenFiles(logs.resolve("golden-mlp"));
    }

    /** The golden sweep's yaml, to run elsewhere (a child JVM on another native build). */
    public static String goldenSpace() throws IOException {
        return resource("mlp-cities.yaml");
    }

    /** {@code sweep} (logs/golden-mlp) has the committed leaderboard and metrics, bit for bit. */
    public static void assertMatchesTheGoldenFiles(Path sweep) throws IOException {
        assertEquals(resource("mlp-cities.leaderboard.csv"), withoutSeconds(Files.readString(sweep.resolve("leaderboard.csv"))));
        List<String> metrics = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            for (String line : Files.readAllLines(sweep.resolve("trials/trial-000" + i + "/metrics.jsonl"))) {
                metrics.add(line.replaceAll(",\"seconds\":[^,]*,\"timeMillis\":[0-9]+", ""));
            }
        }
        assertEquals(resource("mlp-cities.metrics.jsonl"), String.join("\n", metrics) + "\n");
    }

    /** The header's seconds column and each row's seconds cell (the last but one). */
    private static String withoutSeconds(String csv) {
        StringBuilder out = new StringBuilder();
        for (String line : csv.split("\n")) {
            out.append(line.startsWith("rank,") ? line.replace(",seconds,", ",")
                : line.replaceAll(",[0-9]+\\.[0-9]{3},([^,]*)$", ",$1")).append('\n');
        }
        return out.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(GoldenSweepTest.class.getResourceAsStream("/golden/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
