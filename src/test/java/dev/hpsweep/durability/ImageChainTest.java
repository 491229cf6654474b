package dev.hpsweep.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.cli.Main;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Part 3's chain on tens of images in users' image folders, through the command line: a width-2
 * ResNet pre-trained on 3 classes, then a linear probe, a fine-tune and logistic regression on its
 * features for 2 other classes; and a ResNet sweep killed with SIGKILL and resumed, which must equal
 * an uninterrupted one bit for bit.
 */
class ImageChainTest {
    @TempDir
    static Path dir;

    /** {@code classes} folders of 8x8 gray PNGs per split; class k lights a bar at row 2k. */
    static void folders(Path root, List<String> classes, int train, int other, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        for (String split : List.of("train", "validation", "test")) {
            int n = split.equals("train") ? train : other;
            for (int k = 0; k < classes.size(); k++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve(classes.get(k)));
                for (int i = 0; i < n; i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            int base = y / 2 == k ? 200 : 40;
                            img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, base + random.nextInt(41) - 20)));
                        }
                    }
                    ImageIO.write(img, "png", folder.resolve(String.format("%03d.png", i)).toFile());
                }
            }
        }
    }

    static String space(String name, String data, String model, int epochs, String extra) {
        return """
            name: %s
            seed: 4
            dataset: {images: {train: %s/train, validation: %s/validation, test: %s/test}}
            model: %s
            objective: {metric: val_accuracy, mode: max}
            epochs: %d
            %s
            execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 1}
            """.formatted(name, data, data, data, model, epochs, extra);
    }

    static int hpsweep(String... args) {
        String[] full = java.util.Arrays.copyOf(args, args.length + 4);
        full[args.length] = "--logs";
        full[args.length + 1] = dir.resolve("logs").toString();
        full[args.length + 2] = "--checkpoints";
        full[args.length + 3] = dir.resolve("checkpoints").toString();
        StringWriter err = new StringWriter();
        int code = Main.execute(full, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        if (code != 0) {
            System.err.println(err);
        }
        return code;
    }

    @BeforeAll
    static void data() throws Exception {
        folders(dir.resolve("pre"), List.of("a", "b", "c"), 16, 4, 1);
        folders(dir.resolve("task"), List.of("d", "e"), 12, 6, 2);
    }

    @Test
    void pretrainThenProbeFineTuneAndLogisticRegressionOnItsFeatures() throws Exception {
        String fixed = "fixed: {width: 2, batch_size: 8}\nsearch: {strategy: grid, params: [{lr: [0.01, 0.001]}]}";
        Files.writeString(dir.resolve("pre.yaml"), space("pre", "pre", "{type: resnet18}", 2, fixed));
        assertEquals(0, hpsweep("run", dir.resolve("pre.yaml").toString()));
        for (String freeze : List.of("backbone", "none")) {
            String name = "transfer-" + freeze;
            // The fine-tune replaces the 3-class softmax head with the study's one sigmoid unit.
            Files.writeString(dir.resolve(name + ".yaml"), space(name, "task",
                "{type: resnet18, init: {from: {sweep: pre, trial: best}}, freeze: " + freeze + "}", 1,
                freeze.equals("none") ? fixed.replace("batch_size: 8}", "batch_size: 8, output: sigmoid}") : fixed));
            assertEquals(0, hpsweep("run", dir.resolve(name + ".yaml").toString()), name);
        }
        Files.writeString(dir.resolve("logreg.yaml"), space("logreg", "task",
            "{type: logreg-features, init: {from: {sweep: pre, trial: best}}}", 1,
            "search: {strategy: grid, params: [{c: [1.0, 0.1]}]}"));
        assertEquals(0, hpsweep("run", dir.resolve("logreg.yaml").toString()));
        for (String sweep : List.of("transfer-backbone", "transfer-none", "logreg")) {
            String csv = Files.readString(dir.resolve("logs").resolve(sweep).resolve("leaderboard.csv"));
            assertEquals(3, csv.lines().count(), csv);
            assertTrue(csv.lines().skip(1).allMatch(l -> l.contains(",COMPLETED,")), csv);
        }
        // Part 3's report: each baseline's confusion matrices from its saved models, one table of all three.
        StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"report", "transfer-backbone", "transfer-none", "logreg",
            "--logs", dir.resolve("logs").toString(), "--compare-dir", dir.resolve("part3").toString()},
            new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)), err.toString());
        for (String sweep : List.of("transfer-backbone", "transfer-none", "logreg")) {
            Path report = dir.resolve("logs").resolve(sweep).resolve("report");
            assertTrue(Files.exists(report.resolve("trial-0001-confusion.png"))
                || Files.exists(report.resolve("trial-0002-confusion.png")), sweep);
        }
        List<String> table = Files.readAllLines(dir.resolve("part3/table.csv"));
        assertEquals(7, table.size(), String.join("\n", table));
        assertEquals(3, table.stream().filter(l -> l.endsWith(",*")).count(), String.join("\n", table));
    }

    @Test
    void aResNetSweepKilledAndResumedEqualsAnUninterruptedOne() throws Exception {
        String spec = space("killed", dir.resolve("task").toString(), "{type: resnet18}", 12,
            "fixed: {width: 2, batch_size: 4}\nsearch: {strategy: grid, params: [{lr: [0.01, 0.003]}]}");
        Path reference = Files.createDirectories(dir.resolve("reference"));
        Files.writeString(reference.resolve("killed.yaml"), spec);
        assertEquals(0, SweepProcess.runToEnd(reference, "child.log", "run", "killed.yaml"),
            Files.readString(reference.resolve("child.log")));
        TreeMap<String, List<String>> baseline = SweepProcess.results(reference.resolve("logs/killed"));
        Path again = Files.createDirectories(dir.resolve("again"));
        Files.writeString(again.resolve("killed.yaml"), spec);
        int kills = SweepProcess.killAndResumeUntilDone(again, "killed", new Random(11));
        assertTrue(kills >= 1, "the sweep finished before it could be killed");
        assertEquals(baseline, SweepProcess.results(again.resolve("logs/killed")), "after " + kills + " kills");
    }
}
