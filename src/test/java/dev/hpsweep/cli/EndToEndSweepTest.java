package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small real DL4J sweep on the embedded data, through the command line, actors and files. */
class EndToEndSweepTest {
    @TempDir
    Path dir;

    @Test
    void aSmallRealSweepWritesMetricsAndALeaderboardRankedByValidationAccuracy() throws Exception {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
            name: tiny
            seed: 7
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 2
            fixed: {optimizer: adam, lr: 0.01, batch_size: 1024, batch_norm: true}
            search:
              strategy: grid
              params:
                - zip: {depth: [1, 2, 3], width: [8, 16, 8]}
            execution: {max_concurrent_trials: 2, threads_per_trial: 1}
            """);
        Path logs = dir.resolve("logs");
        CliTest.Result r = CliTest.hpsweep("run", file.toString(), "--logs", logs.toString(),
            "--checkpoints", dir.resolve("ckpt").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("trials 3 done, 0 running, 0 pending") || r.out().contains("sweep tiny ended"),
            r.out());

        ObjectMapper json = new ObjectMapper();
        List<double[]> bestByTrial = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path metrics = logs.resolve("tiny/trials/trial-000" + i + "/metrics.jsonl");
            List<String> lines = Files.readAllLines(metrics);
            assertEquals(2, lines.size(), metrics.toString());
            double best = 0;
            for (String line : lines) {
                JsonNode m = json.readTree(line).get("metrics");
                assertTrue(m.get("val_accuracy").asDouble() > 1.0 / 35, line);
                assertTrue(Double.isFinite(m.get("test_loss").asDouble()), line);
                best = Math.max(best, m.get("val_accuracy").asDouble());
            }
            bestByTrial.add(new double[] {i, best});
        }
        bestByTrial.sort(Comparator.comparingDouble((double[] b) -> -b[1]));

        List<String> csv = Files.readAllLines(logs.resolve("tiny/leaderboard.csv"));
        assertEquals(4, csv.size(), String.join("\n", csv));
        for (int rank = 1; rank <= 3; rank++) {
            String[] cells = csv.get(rank).split(",");
            assertEquals(Integer.toString(rank), cells[0]);
            assertEquals("trial-000" + (int) bestByTrial.get(rank - 1)[0], cells[1], String.join("\n", csv));
            assertEquals("COMPLETED", cells[2]);
            assertEquals(bestByTrial.get(rank - 1)[1], Double.parseDouble(cells[5]), 1e-12);
        }
        String log = Files.readString(logs.resolve("tiny/leaderboard.log"));
        assertEquals(6, log.lines().filter(l -> l.contains("  epoch ")).count(), log);
        assertTrue(log.contains("--- final leaderboard"), log);
        JsonNode provenance = json.readTree(logs.resolve("tiny/provenance.json").toFile());
        assertEquals(7, provenance.get("seed").asInt());
        assertEquals(64, provenance.get("data_sha256").asText().length());
        assertTrue(provenance.get("environment").has("deeplearning4j-nn"), provenance.toString());
        // The tests ask for the oneDNN build as bin/hpsweep does (pom.xml); on Linux x86-64 its jar is there.
        String expectedBuild = "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))
            ? "onednn" : provenance.get("environment").get("nd4j-native-build").asText();
        assertEquals(expectedBuild, provenance.get("environment").get("nd4j-native-build").asText(), provenance.toString());
    }

    @Test
    void runningASweepWhoseResultsExistIsRefusedUnlessFresh() throws Exception {
        Path file = dir.resolve("again.yaml");
        Files.writeString(file, """
            name: again
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            fixed: {batch_size: 4096, depth: 1, width: 4}
            search: {strategy: grid, params: [{lr: [0.01]}]}
            """);
        String logs = dir.resolve("logs").toString();
        String ckpt = dir.resolve("ckpt").toString();
        assertEquals(0, CliTest.hpsweep("run", file.toString(), "--logs", logs, "--checkpoints", ckpt).code());
        CliTest.Result again = CliTest.hpsweep("run", file.toString(), "--logs", logs, "--checkpoints", ckpt);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already has results"), again.err());
        assertEquals(0, CliTest.hpsweep("run", file.toString(), "--logs", logs, "--checkpoints", ckpt, "--fresh").code());
        try (var entries = Files.list(dir.resolve("logs"))) {
            assertEquals(2, entries.filter(p -> p.getFileName().toString().startsWith("again")).count());
        }
    }
}
