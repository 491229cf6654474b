package dev.hpsweep.cli;

import static dev.hpsweep.cli.CliTest.hpsweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hpsweep report} over a sweep's files written by hand (no training, so no model and no map). */
class ReportCommandTest {
    @TempDir
    Path logs;

    private void trial(String id, int depth, int rank, double finalAcc) throws Exception {
        trial(id, depth, finalAcc, 1.0);
    }

    private void trial(String id, int depth, double finalAcc, double gradScale) throws Exception {
        trial("s", id, depth, finalAcc, gradScale);
    }

    private void trial(String sweep, String id, int depth, double finalAcc, double gradScale) throws Exception {
        Path dir = logs.resolve(sweep + "/trials/" + id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("trial.json"), """
            {"trial": "%s", "params": {"depth": %d, "width": 16, "lr": 0.001, "epochs": 3},
             "searched": {"depth": %d}}
            """.formatted(id, depth, depth));
        StringBuilder metrics = new StringBuilder();
        StringBuilder diagnostics = new StringBuilder();
        for (int e = 1; e <= 3; e++) {
            double acc = finalAcc * e / 3;
            metrics.append(String.format(Locale.ROOT, "{\"trial\":\"%s\",\"epoch\":%d,\"epochs\":3,\"metrics\":{"
                + "\"train_loss\":%f,\"train_accuracy\":%f,\"val_loss\":%f,\"val_accuracy\":%f,\"test_loss\":%f,"
                + "\"test_accuracy\":%f},\"iterations\":4,\"samples\":100,\"seconds\":1.0,\"timeMillis\":0}%n",
                id, e, 3.0 / e, acc, 3.1 / e, acc, 3.2 / e, acc));
            diagnostics.append(String.format(Locale.ROOT, "{\"trial\":\"%s\",\"epoch\":%d,\"iterations\":4,"
                + "\"batch_loss\":[3.0,2.5,2.2,2.0],\"grad_sq_norm_layer_0\":[%f],\"grad_sq_norm_layer_1\":[0.0]}%n",
                id, e, gradScale * 0.5 / e));
        }
        Files.writeString(dir.resolve("metrics.jsonl"), metrics + "{\"torn");
        Files.writeString(dir.resolve("diagnostics.jsonl"), diagnostics.toString());
    }

    @Test
    void writesEveryPlotAndOneSelfContainedPage() throws Exception {
        trial("trial-0001", 1, 2, 0.6);
        trial("trial-0002", 2, 1, 0.8);
        Files.writeString(logs.resolve("s/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,trial-0002,COMPLETED,3,3,0.8,3,2
            2,trial-0001,COMPLETED,3,3,0.6,3,1
            """);
        Result r = hpsweep("report", "s", "--logs", logs.toString());
        assertEquals(0, r.code(), r.err());
        Path report = logs.resolve("s/report");
        Set<String> files;
        try (Stream<Path> list = Files.list(report)) {
            files = list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(Set.of("report.html", "validation-curves.png", "batch-loss.png", "accuracy-vs-depth.png",
            "trial-0001-curves.png", "trial-0002-curves.png", "trial-0001-batch-loss.png", "trial-0002-batch-loss.png",
            "trial-0001-gradients.png", "trial-0002-gradients.png"), files);
        String html = Files.readString(report.resolve("report.html"));
        assertEquals(files.size() - 1, html.split("data:image/png;base64,", -1).length - 1, "every image embedded");
        assertTrue(html.contains("<td>trial-0002</td>"), "leaderboard table");
        assertTrue(html.indexOf("trial-0002-curves.png") < html.indexOf("trial-0001-curves.png"), "rank order");
        assertTrue(html.contains("Not drawn (exactly 0"), "a zero gradient cannot be drawn on a log scale, and says so");
        assertTrue(r.err().contains("saved no model"), r.err());
    }

    @Test
    void gradientsThatAreZeroEverywhereStillGetAPlotThatSaysSo() throws Exception {
        trial("trial-0001", 100, 0.15, 0.0);
        Files.writeString(logs.resolve("s/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,trial-0001,COMPLETED,3,3,0.15,3,100
            """);
        Result r = hpsweep("report", "s", "--logs", logs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(logs.resolve("s/report/trial-0001-gradients.png")));
        String html = Files.readString(logs.resolve("s/report/report.html"));
        assertTrue(html.contains("exactly 0 at every epoch in every recorded layer"), "the caption says why it is flat");
    }

    /** Part 3's table: baselines x their searched values, each baseline's best marked, then the best ones ranked. */
    @Test
    void twoSweepsAreComparedInOneTableWithEachBaselinesBestMarked() throws Exception {
        trial("s", "trial-0001", 1, 0.6, 1.0);
        trial("s", "trial-0002", 2, 0.8, 1.0);
        trial("t", "trial-0001", 3, 0.9, 1.0);
        Files.writeString(logs.resolve("s/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,trial-0002,COMPLETED,3,3,0.8,3,2
            2,trial-0001,COMPLETED,3,3,0.6,3,1
            """);
        Files.writeString(logs.resolve("t/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,trial-0001,STOPPED,3,3,0.9,3,3
            """);
        Result r = hpsweep("report", "s", "t", "--logs", logs.toString());
        assertEquals(0, r.code(), r.err());
        Path dir = logs.resolve("comparison");
        List<String> csv = Files.readAllLines(dir.resolve("table.csv"));
        assertEquals(List.of("baseline,trial,depth,status,train_loss,val_loss,val_acc,test_acc,best",
            "s,trial-0002,2,COMPLETED,1.0,1.033333,0.8,0.8,*", "s,trial-0001,1,COMPLETED,1.0,1.033333,0.6,0.6,",
            "t,trial-0001,3,STOPPED,1.0,1.033333,0.9,0.9,*"), csv);
        String md = Files.readString(dir.resolve("table.md"));
        assertTrue(md.contains("| **s** | **trial-0002** | **2** |"), md);
        int bestTable = md.indexOf("| baseline | model | best trial |");
        assertTrue(bestTable > 0 && md.indexOf("| t |", bestTable) < md.indexOf("| s |", bestTable),
            "best per baseline, highest test accuracy first:\n" + md);
        assertTrue(r.out().contains("Best trial of each baseline") && r.out().contains("comparison.html"), r.out());
        assertTrue(Files.readString(dir.resolve("comparison.html")).contains("<tr class=\"best\">"));
        assertFalse(Files.exists(dir.resolve("five-images.png")), "no saved models, no images");

        Files.writeString(logs.resolve("s/journal.jsonl"), "");
        Result refused = hpsweep("report", "s", "t", "--logs", logs.toString(), "--compare-dir", logs.resolve("s").toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("holds a sweep"), refused.err());
        Result inside = hpsweep("report", "s", "t", "--logs", logs.toString(), "--compare-dir",
            logs.resolve("s/trials/trial-0001").toString());
        assertEquals(2, inside.code(), inside.err());
        assertTrue(inside.err().contains("is inside") && inside.err().contains("holds a sweep"), inside.err());
        assertFalse(Files.exists(logs.resolve("s/trials/trial-0001/table.md")), "nothing written inside a sweep");

        Result twice = hpsweep("report", "s", "t", "s", "--logs", logs.toString(), "--compare-only");
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().contains("'s' is given twice"), twice.err());
        Result mapsIgnored = hpsweep("report", "s", "t", "--logs", logs.toString(), "--compare-only", "--maps", "all");
        assertEquals(2, mapsIgnored.code(), mapsIgnored.err());
        assertTrue(mapsIgnored.err().contains("--maps"), mapsIgnored.err());

        Path sReport = logs.resolve("s/report/report.html");
        Files.deleteIfExists(sReport);
        Result unknownTrial = hpsweep("report", "s", "t", "--logs", logs.toString(), "--maps", "trial-0002");
        assertEquals(2, unknownTrial.code(), unknownTrial.err());
        assertTrue(unknownTrial.err().contains("sweep t has no trial 'trial-0002'"), unknownTrial.err());
        assertFalse(Files.exists(sReport), "no sweep's report is written before every --maps trial is found");
    }

    /**
     * A sweep of two trials (depth 1 and 2) with the given seed, model type, width and final
     * accuracies, its model starting from sweep {@code start} (none if null).
     */
    private void seeded(String sweep, int seed, String type, int width, String start, double acc1, double acc2)
        throws Exception {
        trial(sweep, "trial-0001", 1, acc1, 1.0);
        trial(sweep, "trial-0002", 2, acc2, 1.0);
        for (String id : List.of("trial-0001", "trial-0002")) {
            Path json = logs.resolve(sweep + "/trials/" + id + "/trial.json");
            Files.writeString(json, Files.readString(json).replace("\"width\": 16", "\"width\": " + width));
        }
        boolean firstBest = acc1 > acc2;
        Files.writeString(logs.resolve(sweep + "/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,%s,COMPLETED,3,3,%s,3,%d
            2,%s,COMPLETED,3,3,%s,3,%d
            """.formatted(firstBest ? "trial-0001" : "trial-0002", Math.max(acc1, acc2), firstBest ? 1 : 2,
            firstBest ? "trial-0002" : "trial-0001", Math.min(acc1, acc2), firstBest ? 2 : 1));
        String init = start == null ? "" : ", \"init\": {\"sweep\": \"%s\", \"trial\": \"best\"}".formatted(start);
        Files.writeString(logs.resolve(sweep + "/provenance.json"), """
            {"sweep": "%s", "seed": %d, "dataset": {"name": "d"}, "data_sha256": "%d",
             "model": {"type": "%s", "freeze": null%s}}
            """.formatted(sweep, seed, seed, type, init));
    }

    /**
     * Sweeps that differ only in their seed (and names, and their pre-training's sweep when that is
     * in turn the same sweep with another seed) are summarised over the seeds; one with another fixed
     * value, or starting from another kind of pre-training, or another model, is not one of them.
     */
    @Test
    void sweepsThatDifferOnlyInTheirSeedAreSummarisedOverTheSeeds() throws Exception {
        for (int seed = 1; seed <= 3; seed++) {
            seeded("pre-" + seed, seed, "pre", 16, null, 0.5, 0.5);
        }
        seeded("pre-wide", 2, "pre", 32, null, 0.5, 0.5);
        seeded("a", 1, "xgboost", 16, "pre-1", 0.6, 0.8);
        seeded("a-s2", 2, "xgboost", 16, "pre-2", 0.7, 0.9);
        seeded("a-s3", 3, "xgboost", 16, "pre-3", 0.65, 0.95);
        seeded("a-wide", 3, "xgboost", 32, "pre-3", 0.1, 0.2);
        seeded("a-from-wide", 4, "xgboost", 16, "pre-wide", 0.1, 0.2);
        seeded("b", 1, "mlp", 16, "pre-1", 0.85, 0.4);
        seeded("b-s2", 2, "mlp", 16, "pre-2", 0.75, 0.3);
        seeded("b-s3", 3, "mlp", 16, "pre-3", 0.7, 0.2);
        seeded("b-again", 2, "mlp", 16, "pre-2", 0.1, 0.1);
        Result r = hpsweep("report", "a", "b", "a-s2", "a-wide", "b-s2", "b-s3", "a-from-wide", "a-s3", "b-again",
            "--logs", logs.toString(), "--compare-only");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(logs.resolve("a/report")), "--compare-only leaves each sweep's own report alone");
        String md = Files.readString(logs.resolve("comparison/table.md"));
        assertTrue(md.contains("- a: seeds 1, 2, 3 (a, a-s2, a-s3)\n"), md);
        assertTrue(md.contains("- b: seeds 1, 2, 3 (b, b-s2, b-s3); left out, for a seed it already has: b-again"), md);
        // each group's searched values, in its first sweep's leaderboard order, over the seeds
        assertTrue(md.contains("| a | 2 | 3 | 0.8833 ± 0.0764 | 0.8833 ± 0.0764 | 0.8000 0.9000 0.9500 |"), md);
        assertTrue(md.contains("| a | 1 | 3 | 0.6500 ± 0.0500 | 0.6500 ± 0.0500 | 0.6000 0.7000 0.6500 |"), md);
        assertTrue(md.indexOf("| b | 1 | 3 |") < md.indexOf("| b | 2 | 3 |"), "b's best value first:\n" + md);
        // picks: in seed 1 b (0.85) beats a (0.8); in seeds 2 and 3 a (0.9, 0.95) beats b (0.75, 0.7)
        assertTrue(md.contains("| a | 3 | 0.8833 ± 0.0764 | 0.8000 | 0.9500 | 2 of 3 | 1 of 3 |"), md);
        assertTrue(md.contains("| b | 3 | 0.7667 ± 0.0764 | 0.7000 | 0.8500 | 1 of 3 | 2 of 3 |"), md);
        assertEquals(2, md.split("\n- ", -1).length - 1, "two groups; a-wide and a-from-wide are their own:\n" + md);
        assertTrue(r.out().contains("Over seeds") && r.out().contains("a: seeds 1, 2, 3 (a, a-s2, a-s3)"), r.out());
        assertTrue(Files.readString(logs.resolve("comparison/comparison.html")).contains("<h2>Over seeds</h2>"));

        Result plain = hpsweep("report", "a", "b", "--logs", logs.toString(), "--maps", "none");
        assertEquals(0, plain.code(), plain.err());
        assertFalse(plain.out().contains("Over seeds"), "one seed each: nothing to summarise\n" + plain.out());
        assertTrue(Files.exists(logs.resolve("a/report/report.html")));

        Result one = hpsweep("report", "a", "--logs", logs.toString(), "--compare-only");
        assertEquals(2, one.code(), one.err());
        assertTrue(one.err().contains("--compare-only") && one.err().contains("two or more"), one.err());
    }

    /** --epoch best: each trial's metrics at the epoch its sweep's objective ranks it by (best_epoch). */
    @Test
    void theComparisonCanShowEachTrialsBestEpoch() throws Exception {
        trial("s", "trial-0001", 1, 0.6, 1.0);
        trial("t", "trial-0001", 3, 0.9, 1.0);
        Files.writeString(logs.resolve("s/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,trial-0001,STOPPED,3,3,0.4,2,1
            """);
        Files.writeString(logs.resolve("t/leaderboard.csv"), """
            rank,trial,status,epochs_done,epochs,val_accuracy_best,best_epoch,depth
            1,trial-0001,COMPLETED,3,3,0.9,3,3
            """);
        Result r = hpsweep("report", "s", "t", "--logs", logs.toString(), "--compare-only", "--epoch", "best");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("baseline,trial,depth,status,epoch,train_loss,val_loss,val_acc,test_acc,best",
            "s,trial-0001,1,STOPPED,2,1.5,1.55,0.4,0.4,*", "t,trial-0001,3,COMPLETED,3,1.0,1.033333,0.9,0.9,*"),
            Files.readAllLines(logs.resolve("comparison/table.csv")));
        assertTrue(r.out().contains("each trial's best epoch by its sweep's objective"), r.out());

        Result last = hpsweep("report", "s", "t", "--logs", logs.toString(), "--compare-only");
        assertEquals(0, last.code(), last.err());
        assertTrue(Files.readAllLines(logs.resolve("comparison/table.csv")).contains(
            "s,trial-0001,1,STOPPED,1.0,1.033333,0.6,0.6,*"), "the last epoch by default");

        Result bad = hpsweep("report", "s", "t", "--logs", logs.toString(), "--epoch", "first");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--epoch") && bad.err().contains("last or best"), bad.err());
    }

    @Test
    void anUnknownSweepExitsWithCode2() {
        Result r = hpsweep("report", "nope", "--logs", logs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no sweep 'nope'"), r.err());
    }
}
