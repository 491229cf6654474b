package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.actors.SweepRunner;
import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.BareDl4jLoop;
import dev.hpsweep.train.CheckpointStore;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.TrainingContext;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerFactory;
import dev.hpsweep.train.NativeThreads;
import dev.hpsweep.train.Nd4jRuntime;
import dev.hpsweep.train.Registrations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep bench}: the harness benchmarks of docs/BENCHMARKS.md, each a ratio of two
 * measurements taken side by side (interleaved, same JVM) on the depth-6 width-16 MLP, batch 256,
 * on the embedded europe-cities data.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure harness overhead, 1 vs 2 concurrent trials, and MLP samples/s.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--epochs", defaultValue = "2", description = "epochs per measured run (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--reps", defaultValue = "3", description = "interleaved repetitions; medians are reported (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--batch-norm", defaultValue = "true", arity = "1", description = "batch norm in the MLP (default: ${DEFAULT-VALUE})")
    boolean batchNorm;

    @Option(names = "--only", paramLabel = "PART",
        description = "harness, concurrency, buffers, checkpoint, booster or resnet (default: harness and checkpoint)")
    String only;

    /** The networks the concurrency benchmark can run (the search spaces below name their model types). */
    enum BenchModel { mlp, resnet18 }

    @Option(names = "--model",
        description = "concurrency: mlp (the depth-6 MLP on europe-cities, with the bare DL4J loops) or resnet18 "
            + "(width 16 on fashion-shirts, batch 32) (default: ${DEFAULT-VALUE})")
    BenchModel model = BenchModel.mlp;

    @Option(names = "--threads", defaultValue = "1",
        description = "booster, resnet: native threads of every trial (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--width", defaultValue = "16", description = "resnet: width of the network (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--images", defaultValue = "320", description = "resnet: training images per measurement (default: ${DEFAULT-VALUE})")
    int images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NativeThreads.configure(1);
        Dataset data = EmbeddedDatasets.load("europe-cities");
        Path dir = Files.createTempDirectory("hpsweep-bench");
        SearchSpace one = space(dir, "bench-one", "[0.001]");
        SearchSpace two = space(dir, "bench-two", "[0.001, 0.002]");
        TrialSpec trial = TrialExpander.expand(one).get(0);
        Nd4jRuntime.install(); // as a sweep has it (the shape and TAD caches, the lean deallocator); Main set the op ids
        out.printf(Locale.ROOT, "depth 6, width 16, batch_norm %s, batch 256, %d epochs x %d reps, %d cores, OMP_NUM_THREADS=%s, "
            + "op ids: %s%n", batchNorm, epochs, reps, Runtime.getRuntime().availableProcessors(),
            System.getenv("OMP_NUM_THREADS"), Nd4jRuntime.perThreadOpIds() ? "per-thread generator" : "the JVM's shared generator");
        out.flush();

        if ("resnet".equals(only)) {
            NativeThreads.configure(threads); // as a sweep with threads_per_trial: N has it
            ResNetBench.run(width, images, reps, threads, out);
            return ExitCodes.OK;
        }
        if ("booster".equals(only)) {
            XgboostBench.run(data, dir, Math.max(epochs, 3), reps, threads, out);
            return ExitCodes.OK;
        }
        if ("buffers".equals(only)) {
            buffers(one, trial, data, out);
            return ExitCodes.OK;
        }
        if ("concurrency".equals(only)) {
            if (model == BenchModel.resnet18) {
                Path file = dir.resolve("bench-two-resnet.yaml");
                Files.writeString(file, """
                    name: bench-two-resnet
                    seed: 42
                    dataset: {name: fashion-shirts}
                    model: {type: resnet18}
                    objective: {metric: val_accuracy, mode: max}
                    epochs: %d
                    fixed: {width: 16, optimizer: adam, batch_size: 32}
                    search: {strategy: grid, params: [{lr: [0.001, 0.002]}]}
                    """.formatted(epochs));
                out.println("resnet18 width 16 on fashion-shirts, batch 32: no bare loops");
                concurrency(SearchSpaceLoader.load(file), EmbeddedDatasets.load("fashion-shirts"), dir, out, false);
            } else {
                concurrency(two, data, dir, out, true);
            }
            return ExitCodes.OK;
        }
        if (only == null || only.equals("checkpoint")) {
            checkpointCost(dir, data, out);
        }
        if ("checkpoint".equals(only)) {
            return ExitCodes.OK;
        }
        // -Dhpsweep.nd4j.lean=false runs everything on ND4J's own parts (then (d) is 1 by construction).
        boolean lean = Boolean.parseBoolean(System.getProperty("hpsweep.nd4j.lean", "true"));
        Nd4jRuntime.use(false);
        BareDl4jLoop.run(trial, data, one.seed(), 1); // JIT and native warm-up of both, not measured
        Nd4jRuntime.use(lean);
        BareDl4jLoop.run(trial, data, one.seed(), 1);
        List<Double> bare = new ArrayList<>();
        List<Double> bareStock = new ArrayList<>();
        List<Double> bareFit = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> actors = new ArrayList<>();
        List<Double> serial = new ArrayList<>();
        List<Double> concurrent = new ArrayList<>();
        List<TrialSpec> pair = TrialExpander.expand(two);
        int run = 0;
        for (int r = 0; r < reps; r++) {
            Nd4jRuntime.use(false);
            bareStock.add(BareDl4jLoop.run(trial, data, one.seed(), epochs).totalSeconds());
            Nd4jRuntime.use(lean);
            BareDl4jLoop.Timing t = BareDl4jLoop.run(trial, data, one.seed(), epochs);
            bare.add(t.totalSeconds());
            bareFit.add(t.fitSeconds());
            direct.add(Measurements.time(() -> {
                try (Trainer trainer = trainers(one, data).create(trial)) {
                    for (int e = 1; e <= epochs; e++) {
                        trainer.runEpoch(e);
                    }
                }
            }));
            actors.add(sweep(one, List.of(trial), data, dir, "a" + run++, 1));
            serial.add(sweep(two, pair, data, dir, "s" + run++, 1));
            concurrent.add(sweep(two, pair, data, dir, "c" + run++, 2));
            out.printf(Locale.ROOT, "rep %d: bare on stock ND4J %.2fs, bare %.2fs (fit %.2fs), trainer %.2fs, actors %.2fs, 2 trials serial %.2fs, concurrent %.2fs%n",
                r + 1, bareStock.get(r), t.totalSeconds(), t.fitSeconds(), direct.get(r), actors.get(r), serial.get(r), concurrent.get(r));
            out.flush();
        }
        long samples = (long) epochs * data.train().size();
        out.println();
        out.printf(Locale.ROOT, "(a) harness overhead, one trial through actors+files / same trainer in a plain loop: %.3f%n",
            Measurements.median(actors) / Measurements.median(direct));
        out.printf(Locale.ROOT, "    one trial through hpsweep / bare DL4J fit+evaluate loop:                       %.3f%n",
            Measurements.median(actors) / Measurements.median(bare));
        out.printf(Locale.ROOT, "    hpsweep trainer (train-mode metrics, eval) / bare DL4J loop:                   %.3f%n",
            Measurements.median(direct) / Measurements.median(bare));
        out.printf(Locale.ROOT, "(b) epochs/s, 2 concurrent trials / 1 at a time:                                   %.2fx%n",
            Measurements.median(serial) / Measurements.median(concurrent));
        out.printf(Locale.ROOT, "(c) samples/s, bare DL4J fit only: %.0f; hpsweep epoch incl. metrics and eval: %.0f%n",
            samples / Measurements.median(bareFit), samples / Measurements.median(actors));
        out.printf(Locale.ROOT, "(d) bare DL4J loop on stock ND4J / with hpsweep's lean ND4J parts (Nd4jRuntime):  %.2fx%n",
            Measurements.median(bareStock) / Measurements.median(bare));
        // Set-up of one trial: the sweep's ND4J copy of the data (once per sweep), then the network.
        List<Double> dataSeconds = new ArrayList<>();
        List<Double> buildSeconds = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            TrainerFactory[] factory = new TrainerFactory[1];
            dataSeconds.add(Measurements.time(() -> factory[0] = trainers(one, data)));
            TrainerFactory f = factory[0];
            buildSeconds.add(Measurements.time(() -> f.create(trial).close()));
        }
        out.printf(Locale.ROOT, "(e) set-up: trainer factory (data to ND4J on first use) %.3fs; first trial's trainer "
            + "(network build, data copy) %.3fs%n", Measurements.median(dataSeconds), Measurements.median(buildSeconds));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The native objects registered for deallocation per training batch (each one a reference the
     * collector must process and a native delete), by kind and first caller outside ND4J: one epoch
     * of the bare DL4J loop (DL4J's own updater), one of hpsweep's trainer, and one batch's rows
     * taken by ND4J's {@code getRows} against {@code Rows.gather}.
     */
    private void buffers(SearchSpace space, TrialSpec trial, Dataset data, PrintWriter out) {
        long batches = (data.train().size() + 255) / 256;
        BareDl4jLoop.run(trial, data, space.seed(), 1);
        print(out, "bare DL4J loop, one epoch", Registrations.during(() -> BareDl4jLoop.run(trial, data, space.seed(), 1)),
            batches);
        try (Trainer trainer = trainers(space, data).create(trial)) {
            trainer.runEpoch(1);
            long ids = Nd4jRuntime.opIdsDrawn();
            print(out, "hpsweep trainer, one epoch (train-mode metrics, validation, test)",
                Registrations.during(() -> trainer.runEpoch(2)), batches);
            if (Nd4jRuntime.perThreadOpIds()) {
                out.printf(Locale.ROOT, "  ND4J ops built (each named by a UUID) per batch: %.1f%n",
                    (Nd4jRuntime.opIdsDrawn() - ids) / (double) batches);
            }
        }
        out.printf(Locale.ROOT, "one batch's rows (256 features and labels): getRows %d, Rows.gather %d%n",
            BareDl4jLoop.rowRegistrations(data, false), BareDl4jLoop.rowRegistrations(data, true));
    }

    private static void print(PrintWriter out, String what, Map<String, Long> counts, long batches) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "%s: %.1f registrations per batch%n", what, total / (double) batches);
        counts.entrySet().stream().limit(Integer.getInteger("hpsweep.bench.top", 12)).forEach(e -> out.printf(Locale.ROOT, "  %8.1f  %s%n",
            e.getValue() / (double) batches, e.getKey()));
        out.flush();
    }

    /**
     * (b) alone: the same 2-trial sweep one at a time and 2 at a time, alternately, after one
     * unmeasured sweep of each; each rep's ratio and their median. A paired ratio is steadier than
     * the ratio of medians when the machine's speed drifts between reps.
     */
    private void concurrency(SearchSpace two, Dataset data, Path dir, PrintWriter out, boolean bare) throws IOException {
        List<TrialSpec> pair = TrialExpander.expand(two);
        sweep(two, pair, data, dir, "warm-s", 1);
        sweep(two, pair, data, dir, "warm-c", 2);
        List<Double> ratios = new ArrayList<>();
        List<Double> spanRatios = new ArrayList<>();
        List<Double> bareRatios = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            double serial = sweep(two, pair, data, dir, "s" + r, 1);
            double serialSpan = epochSpan(dir.resolve("logs-s" + r).resolve(two.name()));
            double concurrent = sweep(two, pair, data, dir, "c" + r, 2);
            double concurrentSpan = epochSpan(dir.resolve("logs-c" + r).resolve(two.name()));
            double bareSerial = bare ? Measurements.time(() -> pair.forEach(t -> BareDl4jLoop.run(t, data, two.seed(), epochs)))
                : Double.NaN;
            double bareConcurrent = bare ? bareInParallel(pair, data, two.seed()) : Double.NaN;
            ratios.add(serial / concurrent);
            spanRatios.add(serialSpan / concurrentSpan);
            bareRatios.add(bareSerial / bareConcurrent);
            out.printf(Locale.ROOT, "rep %d: 2 trials one at a time %.2fs (epochs %.2fs), 2 at a time %.2fs (epochs %.2fs): "
                + "%.2fx (epochs %.2fx)", r + 1, serial, serialSpan, concurrent, concurrentSpan, serial / concurrent,
                serialSpan / concurrentSpan);
            out.printf(Locale.ROOT, bare ? "; bare DL4J loops %.2fs, on 2 threads %.2fs: %.2fx%n" : "%n", bareSerial,
                bareConcurrent, bareSerial / bareConcurrent);
            out.flush();
        }
        out.printf(Locale.ROOT, "(b) epochs/s, 2 concurrent trials / 1 at a time, median of the reps' ratios: %.2fx%n",
            Measurements.median(spanRatios));
        out.printf(Locale.ROOT, "    the same, whole sweeps (actor system, journal, final leaderboard included): %.2fx%n",
            Measurements.median(ratios));
        if (bare) {
            out.printf(Locale.ROOT, "    the same 2 bare DL4J loops on 2 threads / one after the other:               %.2fx%n",
                Measurements.median(bareRatios));
        }
    }

    /**
     * The wall-clock span of a sweep's epochs: from the start of its first epoch to the end of its
     * last, by the epoch records' end times and durations (metrics.jsonl); the sweep's start-up and
     * ending (actor system, journal, final leaderboard) are outside it, a trial's set-up inside.
     */
    static double epochSpan(Path sweepLogs) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var trials = Files.list(sweepLogs.resolve("trials"))) {
            for (Path trial : trials.toList()) {
                for (String line : Files.readAllLines(trial.resolve("metrics.jsonl"))) {
                    var record = json.readTree(line);
                    long end = record.get("timeMillis").asLong();
                    first = Math.min(first, end - Math.round(1000 * record.get("seconds").asDouble()));
                    last = Math.max(last, end);
                }
            }
        }
        return (last - first) / 1000.0;
    }

    /** Both trials' bare loops at once, one thread each (one native thread per op, as in a trial). */
    private double bareInParallel(List<TrialSpec> pair, Dataset data, long seed) {
        return Measurements.time(() -> {
            List<Thread> threads = new ArrayList<>();
            for (TrialSpec t : pair) {
                Thread thread = new Thread(() -> BareDl4jLoop.run(t, data, seed, epochs), "bench-bare-" + t.id());
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /**
     * Checkpoint cost at checkpoint_every 1: the time to write a checkpoint after an epoch, as a
     * fraction of that epoch's time, for the depth-6 width-16 MLP and the 100-layer width-4 one.
     */
    private void checkpointCost(Path dir, Dataset data, PrintWriter out) throws IOException {
        String[][] models = {{"depth 6, width 16, batch norm", "{depth: 6, width: 16, batch_norm: true}"},
            {"depth 100, width 4 (EXPERIMENTS 2.5)", "{depth: 100, width: 4, batch_norm: false}"}};
        for (String[] model : models) {
            Path file = dir.resolve("ckpt-bench.yaml");
            Files.writeString(file, """
                name: ckpt-bench
                dataset: {name: europe-cities}
                model: {type: mlp}
                objective: {metric: val_accuracy, mode: max}
                epochs: %d
                fixed: %s
                search: {strategy: grid, params: [{batch_size: [256]}]}
                """.formatted(epochs + 1, model[1]));
            SearchSpace space = SearchSpaceLoader.load(file);
            TrialSpec trial = TrialExpander.expand(space).get(0);
            CheckpointStore store = new CheckpointStore(dir.resolve("ckpt-" + model[1].hashCode()), 2);
            double epochSeconds = 0;
            double checkpointSeconds = 0;
            long bytes = 0;
            try (Trainer trainer = trainers(space, data).create(trial)) {
                trainer.runEpoch(1); // warm-up
                store.write(new CheckpointStore.Position(1, 0), trainer, "{}");
                for (int e = 2; e <= epochs + 1; e++) {
                    int epoch = e;
                    epochSeconds += Measurements.time(() -> trainer.runEpoch(epoch));
                    checkpointSeconds += Measurements.time(() -> store.write(new CheckpointStore.Position(epoch, 0), trainer, "{}"));
                    bytes = Files.size(store.list().get(0));
                }
            }
            out.printf(Locale.ROOT, "checkpoint cost, %s: %.1f ms per checkpoint (%d KiB), epoch %.2f s: %.2f%% of epoch time%n",
                model[0], 1000 * checkpointSeconds / epochs, bytes / 1024, epochSeconds / epochs,
                100 * checkpointSeconds / epochSeconds);
            out.flush();
        }
    }

    private SearchSpace space(Path dir, String name, String lrs) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
            name: %s
            seed: 42
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: %d
            fixed: {depth: 6, width: 16, batch_norm: %s, optimizer: adam, batch_size: 256}
            search: {strategy: grid, params: [{lr: %s}]}
            """.formatted(name, epochs, batchNorm, lrs));
        return SearchSpaceLoader.load(file);
    }

    private static double sweep(SearchSpace space, List<TrialSpec> trials, Dataset data, Path dir, String tag,
                                int concurrency) {
        SweepPlan plan = SweepPlan.fresh(space, trials,
            SweepPaths.of(space.name(), dir.resolve("logs-" + tag), dir.resolve("ckpt-" + tag)),
            data.fingerprint(), concurrency);
        return Measurements.time(() -> {
            try {
                SweepRunner.run(plan, trainers(space, data), EarlyStopping.NONE, line -> { });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static TrainerFactory trainers(SearchSpace space, Dataset data) {
        return ModelRegistry.installed().type(space.modelType()).trainers(new TrainingContext(data, space.seed(), 1));
    }
}
