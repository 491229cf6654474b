package dev.hpsweep.cli;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.data.Shape;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.models.ResNetModel;
import dev.hpsweep.models.TrainingContext;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerContract;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code hpsweep bench --only resnet}: training images per second of ResNet18 (width 16 by
 * default, 1 x 28 x 28 images, batch 32, Adam) in hpsweep's DL4J loop and in PyTorch
 * (tools/bench/resnet_images.py, Debian's python3-torch) with the same network, input, batch and
 * threads, interleaved; medians of the repetitions.
 */
final class ResNetBench {
    private static final int SIZE = 28;
    private static final int BATCH = 32;
    private static final int CLASSES = 2;

    private ResNetBench() {
    }

    static void run(int width, int images, int reps, int threads, PrintWriter out) throws Exception {
        Dataset data = randomImages(images);
        ModelType resnet = ModelRegistry.installed().type(ResNetModel.NAME);
        var trial = TrainerContract.trial(resnet.params(), Map.of("width", width, "batch_size", BATCH), 1);
        var factory = resnet.trainers(new TrainingContext(data, 1, threads));
        out.printf(Locale.ROOT, "resnet18 width %d, %d random 1x%dx%d images, batch %d, Adam, %d thread(s), %d reps%n",
            width, images, SIZE, SIZE, BATCH, threads, reps);
        out.flush();
        try (Trainer warm = factory.create(trial)) {
            warm.runEpoch(1); // JIT and native warm-up, not measured
        }
        List<Double> ours = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        String torchVersion = null;
        for (int r = 0; r < reps; r++) {
            double seconds;
            try (Trainer t = factory.create(trial)) {
                long t0 = System.nanoTime();
                t.runEpoch(1);
                seconds = (System.nanoTime() - t0) / 1e9;
            }
            ours.add(images / seconds);
            String json = Measurements.python("resnet_images.py", threads, Integer.toString(width),
                Integer.toString(SIZE), Integer.toString(images), Integer.toString(BATCH), Integer.toString(CLASSES),
                Integer.toString(threads));
            String line = String.format(Locale.ROOT, "rep %d: hpsweep %.1f images/s", r + 1, ours.get(r));
            if (json != null) {
                double s = Measurements.field(json, "train_seconds");
                torch.add(images / s);
                torchVersion = json.replaceAll(".*\"torch\": \"([^\"]*)\".*", "$1");
                line += String.format(Locale.ROOT, ", pytorch %.1f images/s", torch.get(r));
            }
            out.println(line);
            out.flush();
        }
        out.println();
        out.printf(Locale.ROOT, "(r) training images/s: hpsweep %.1f%s%n", Measurements.median(ours), torch.isEmpty()
            ? "; pytorch not run (needs /usr/bin/python3 with torch: apt-get install python3-torch)"
            : String.format(Locale.ROOT, ", pytorch %s %.1f; hpsweep / pytorch %.3f", torchVersion, Measurements.median(torch),
                Measurements.median(ours) / Measurements.median(torch)));
        out.flush();
    }

    /** Random pixels: the speed of a training step does not depend on what the images show. */
    private static Dataset randomImages(int images) {
        SplittableRandom random = new SplittableRandom(3);
        // Validation and test of 2 images each: the epoch's time is its training.
        return new Dataset("random-images", Shape.of(1, SIZE, SIZE), split(random, images), split(random, 2),
            split(random, 2), CLASSES, List.of("a", "b"));
    }

    private static Dataset.Split split(SplittableRandom random, int rows) {
        float[][] x = new float[rows][SIZE * SIZE];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % CLASSES;
            for (int p = 0; p < x[i].length; p++) {
                x[i][p] = (float) random.nextDouble();
            }
        }
        return new Dataset.Split(x, y);
    }
}
