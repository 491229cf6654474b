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
    }

    @Test
    void anUnknownSweepExitsWithCode2() {
        Result r = hpsweep("report", "nope", "--logs", logs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no sweep 'nope'"), r.err());
    }
}
