package dev.hpsweep.cli;

import dev.hpsweep.actors.SweepPlan;
import dev.hpsweep.actors.SweepRunner;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.journal.SweepPaths;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.TrainingContext;
import dev.hpsweep.schedule.EarlyStopping;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import dev.hpsweep.space.TrialSpec;
import dev.hpsweep.train.BareXgboostLoop;
import dev.hpsweep.train.Seeds;
import dev.hpsweep.train.Trainer;
import dev.hpsweep.train.TrainerFactory;
import dev.hpsweep.train.XgboostParams;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code hpsweep bench --only booster}: rounds per second of the same booster, parameters, data
 * and threads four ways, interleaved: the bare XGBoost4J loop, hpsweep's trainer in a plain loop,
 * one trial through the actors and files, and Python xgboost (Debian's python3-xgboost) running
 * the bare loop's steps. Figures are medians over the repetitions, reported as ratios.
 */
final class XgboostBench {
    private static final int ROUNDS_PER_EPOCH = 10;

    private XgboostBench() {
    }

    static void run(Dataset data, Path dir, int epochs, int reps, int threads, PrintWriter out) throws Exception {
        Path file = dir.resolve("xgb-bench.yaml");
        Files.writeString(file, """
            name: xgb-bench
            seed: 42
            dataset: {name: europe-cities}
            model: {type: xgboost}
            objective: {metric: val_accuracy, mode: max}
            epochs: %d
            fixed: {max_depth: 6, eta: 0.3, tree_method: hist, rounds_per_epoch: %d}
            search: {strategy: grid, params: [{subsample: [1.0]}]}
            execution: {max_concurrent_trials: 1, threads_per_trial: %d, checkpoint_every: 1000}
            """.formatted(epochs, ROUNDS_PER_EPOCH, threads));
        SearchSpace space = SearchSpaceLoader.load(file);
        TrialSpec trial = TrialExpander.expand(space).get(0);
        XgboostParams params = XgboostParams.from(trial);
        long seed = Seeds.init(space.seed(), trial.id());
        TrainerFactory factory = ModelRegistry.installed().type(space.modelType())
            .trainers(new TrainingContext(data, space.seed(), threads));
        Path python = writeForPython(dir, data, params, seed, threads, epochs);
        out.printf(Locale.ROOT, "xgboost: europe-cities (%d train rows, %d classes), max_depth 6, eta 0.3, hist, "
            + "%d rounds x %d epochs, nthread %d, %d reps%n", data.train().size(), data.numClasses(),
            ROUNDS_PER_EPOCH, epochs, threads, reps);
        out.flush();

        BareXgboostLoop.run(params, data, seed, threads, 1); // native and JIT warm-up, not measured
        List<Double> bare = new ArrayList<>();
        List<Double> bareBoost = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> actors = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        List<Double> pyBoost = new ArrayList<>();
        String pyVersion = null;
        for (int r = 0; r < reps; r++) {
            BareXgboostLoop.Timing t = BareXgboostLoop.run(params, data, seed, threads, epochs);
            bare.add(t.totalSeconds());
            bareBoost.add(t.boostSeconds());
            direct.add(Measurements.time(() -> {
                try (Trainer trainer = factory.create(trial)) {
                    for (int e = 1; e <= epochs; e++) {
                        trainer.runEpoch(e);
                    }
                }
            }));
            SweepPlan plan = SweepPlan.fresh(space, List.of(trial),
                SweepPaths.of(space.name(), dir.resolve("logs-x" + r), dir.resolve("ckpt-x" + r)), data.fingerprint(), 1);
            actors.add(Measurements.time(() -> {
                try {
                    SweepRunner.run(plan, factory, EarlyStopping.NONE, line -> { });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
            String json = Measurements.python("xgboost_rounds.py", threads, python.toString());
            if (json != null) {
                py.add(Measurements.field(json, "boost_seconds") + Measurements.field(json, "eval_seconds"));
                pyBoost.add(Measurements.field(json, "boost_seconds"));
                pyVersion = json.replaceAll(".*\"xgboost\": \"([^\"]*)\".*", "$1");
            }
            out.printf(Locale.ROOT, "rep %d: bare %.2fs (boost %.2fs), trainer %.2fs, actors %.2fs%s%n", r + 1,
                t.totalSeconds(), t.boostSeconds(), direct.get(r), actors.get(r),
                json == null ? "" : String.format(Locale.ROOT, ", python %.2fs (boost %.2fs)", py.get(r), pyBoost.get(r)));
            out.flush();
        }
        int rounds = epochs * ROUNDS_PER_EPOCH;
        out.println();
        out.printf(Locale.ROOT, "(x1) per-round cost, hpsweep trainer (metrics of 3 splits) / bare XGBoost4J loop:   %.3f%n",
            Measurements.median(direct) / Measurements.median(bare));
        out.printf(Locale.ROOT, "     one trial through actors+journal+files / bare XGBoost4J loop:             %.3f%n",
            Measurements.median(actors) / Measurements.median(bare));
        out.printf(Locale.ROOT, "(x2) rounds/s: bare XGBoost4J %.1f (boosting only %.1f), hpsweep trial %.1f%n",
            rounds / Measurements.median(bare), rounds / Measurements.median(bareBoost), rounds / Measurements.median(actors));
        if (py.isEmpty()) {
            out.println("     python: not run (needs /usr/bin/python3 with xgboost: apt-get install python3-xgboost, "
                + "or HPSWEEP_PYTHON)");
        } else {
            out.printf(Locale.ROOT, "     python xgboost %s: %.1f rounds/s (boosting only %.1f); hpsweep trial / python time: %.3f%n",
                pyVersion, rounds / Measurements.median(py), rounds / Measurements.median(pyBoost), Measurements.median(actors) / Measurements.median(py));
        }
        out.flush();
    }

    /** The splits as big-endian float32/int32 files and the parameters as JSON, for tools/bench/xgboost_rounds.py. */
    private static Path writeForPython(Path dir, Dataset data, XgboostParams params, long seed, int threads,
                                       int epochs) throws IOException {
        Path py = Files.createDirectories(dir.resolve("xgb-python"));
        write(py, "train", data.train());
        write(py, "validation", data.validation());
        write(py, "test", data.test());
        StringBuilder p = new StringBuilder("{");
        p.append(String.format(Locale.ROOT, "\"max_depth\": %d, \"eta\": %s, \"min_child_weight\": %s, \"subsample\": %s, "
            + "\"colsample_bytree\": %s, \"lambda\": %s, \"alpha\": %s, \"gamma\": %s, \"tree_method\": \"%s\", ",
            params.maxDepth(), params.eta(), params.minChildWeight(), params.subsample(), params.colsampleBytree(),
            params.lambda(), params.alpha(), params.gamma(), params.treeMethod()));
        p.append(String.format(Locale.ROOT, "\"objective\": \"multi:softprob\", \"num_class\": %d, \"seed\": %d, "
            + "\"seed_per_iteration\": true, \"nthread\": %d, \"verbosity\": 1}", data.numClasses(),
            seed & 0x7fffffffL, threads));
        Files.writeString(py.resolve("params.json"), String.format(Locale.ROOT, "{\"columns\": %d, \"epochs\": %d, "
            + "\"rounds_per_epoch\": %d, \"params\": %s}", data.numFeatures(), epochs, ROUNDS_PER_EPOCH, p));
        return py;
    }

    private static void write(Path dir, String name, Dataset.Split split) throws IOException {
        try (OutputStream f = Files.newOutputStream(dir.resolve(name + ".f32"));
             DataOutputStream x = new DataOutputStream(new java.io.BufferedOutputStream(f))) {
            for (float[] row : split.features()) {
                for (float v : row) {
                    x.writeFloat(v);
                }
            }
        }
        try (OutputStream f = Files.newOutputStream(dir.resolve(name + ".i32"));
             DataOutputStream y = new DataOutputStream(new java.io.BufferedOutputStream(f))) {
            for (int label : split.labels()) {
                y.writeInt(label);
            }
        }
    }
}
