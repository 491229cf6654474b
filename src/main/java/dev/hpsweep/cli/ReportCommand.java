package dev.hpsweep.cli;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.report.ConfusionMatrix;
import dev.hpsweep.report.ImageComparison;
import dev.hpsweep.report.PredictionMap;
import dev.hpsweep.report.SweepComparison;
import dev.hpsweep.report.SweepReport;
import dev.hpsweep.report.SweepResults;
import dev.hpsweep.report.SweepResults.TrialResults;
import dev.hpsweep.space.DatasetSpec;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.SweepName;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hpsweep report NAME...}: plots what each sweep wrote under {@code logs/NAME/} into
 * {@code logs/NAME/report/} (PNG files and a self-contained report.html), and, given two or more
 * sweeps, one comparison of them (the study's Part 3 table). The prediction maps, confusion
 * matrices and the five-image figure need the trials' saved models and the data set, so this
 * command evaluates them ({@code train}) and hands plain arrays to {@code report}, which draws.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Plot sweeps' results into logs/NAME/report/ (PNG files and report.html).",
        "Given two or more sweeps, also compare them in one table (and, on image data, the test images the best "
            + "baseline gets right and the worst gets wrong) under LOGS/comparison/."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "the sweeps' names")
    List<String> sweeps;

    @Option(names = "--logs", paramLabel = "DIR", defaultValue = "logs",
        description = "root of the logs (default: ${DEFAULT-VALUE})")
    Path logs;

    @Option(names = "--x-param", paramLabel = "PARAM", split = ",",
        description = "plot final accuracy against these parameters (default: every numeric searched parameter "
            + "with two or more values)")
    List<String> xParams = new ArrayList<>();

    private static final String DEFAULT_MAPS = "best,worst";

    @Option(names = "--maps", paramLabel = "WHICH", defaultValue = DEFAULT_MAPS,
        description = "trials whose saved model draws a prediction map (two-feature data) and a test confusion "
            + "matrix: best, worst, all, none, or trial ids, comma-separated (default: ${DEFAULT-VALUE})")
    String maps;

    @Option(names = "--map-columns", paramLabel = "N", defaultValue = "300",
        description = "grid columns of a prediction map (default: ${DEFAULT-VALUE}); rows follow the aspect")
    int mapColumns;

    @Option(names = "--compare-dir", paramLabel = "DIR",
        description = "where the comparison of two or more sweeps goes: table.md, table.csv, five-images.png, "
            + "comparison.html (default: LOGS/comparison)")
    Path compareDir;

    @Option(names = "--epoch", paramLabel = "WHICH", defaultValue = "last",
        description = "which epoch of each trial the comparison shows: last, or best (the one its sweep's objective "
            + "ranks it by, the leaderboard's best_epoch) (default: ${DEFAULT-VALUE})")
    String epoch;

    @Option(names = "--compare-only",
        description = "only compare the sweeps (two or more); leave each sweep's own report as it is")
    boolean compareOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mapColumns < 10 || mapColumns > 2000) {
            throw new InputException("--map-columns", 0, 0, null, "must be in [10, 2000], but got " + mapColumns);
        }
        if (!epoch.equals("last") && !epoch.equals("best")) {
            throw new InputException("--epoch", 0, 0, null, "must be last or best, but got '" + epoch + "'");
        }
        List<SweepResults> all = new ArrayList<>();
        Set<String> given = new LinkedHashSet<>();
        for (String sweep : sweeps) {
            if (!given.add(sweep)) {
                throw new InputException("report", 0, 0, null, "sweep '" + sweep + "' is given twice");
            }
            try {
                all.add(SweepResults.read(logs, SweepName.checkArgument("NAME", sweep)));
            } catch (IllegalArgumentException e) {
                throw new InputException("report", 0, 0, null, e.getMessage());
            }
        }
        if (compareOnly && sweeps.size() < 2) {
            throw new InputException("--compare-only", 0, 0, null, "compares two or more sweeps, but got "
                + sweeps.size());
        }
        if (compareOnly && !maps.equals(DEFAULT_MAPS)) {
            throw new InputException("--maps", 0, 0, null, "draws in each sweep's own report, which --compare-only "
                + "leaves as it is; give one or the other");
        }
        if (!compareOnly) {
            all.forEach(this::mapTrials); // an unknown trial in --maps fails before any report is written
        }
        Set<String> known = new LinkedHashSet<>();
        all.forEach(r -> r.trials().forEach(t -> known.addAll(t.params().keySet())));
        for (String p : xParams) {
            if (!known.contains(p)) {
                throw new InputException("--x-param", 0, 0, null, "unknown parameter '" + p + "'; the trials have: "
                    + String.join(", ", known));
            }
        }
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        Map<String, Map<String, int[]>> predictions = new LinkedHashMap<>();
        for (SweepResults results : compareOnly ? List.<SweepResults>of() : all) {
            Map<String, PredictionMap> drawn = new LinkedHashMap<>();
            Map<String, ConfusionMatrix> confusions = new LinkedHashMap<>();
            List<TrialResults> chosen = new ArrayList<>();
            for (TrialResults t : mapTrials(results)) {
                if (t.model() == null) {
                    err.println("hpsweep: note: " + results.sweep() + "/" + t.id() + " saved no model; no prediction map "
                        + "or confusion matrix");
                } else {
                    chosen.add(t);
                }
            }
            Dataset data = chosen.isEmpty() ? null : data(results, err);
            ModelType model = data == null ? null : model(results, err);
            boolean mappable = data != null && data.shape().dims().size() == 1 && data.shape().size() == 2;
            if (data != null && !mappable && !chosen.isEmpty()) {
                err.println("hpsweep: note: prediction maps are drawn over two features (longitude, latitude); "
                    + results.sweep() + "'s data has " + data.shape() + ": confusion matrices only");
            }
            for (TrialResults t : model == null ? List.<TrialResults>of() : chosen) {
                Optional<ModelType.Predictor> predictor = model.savedModel(t.model(), t.params(), data);
                if (predictor.isEmpty()) {
                    err.println("hpsweep: note: model type '" + model.name() + "' cannot predict from a saved "
                        + "model; no prediction map or confusion matrix");
                    break;
                }
                int[] predicted = predictor.get().predict(data.test().features());
                predictions.computeIfAbsent(results.sweep(), k -> new LinkedHashMap<>()).put(t.id(), predicted);
                confusions.put(t.id(), ConfusionMatrix.of(t.label() + " (rank " + t.rank() + ")", data.classNames(),
                    data.test().labels(), predicted));
                if (mappable) {
                    drawn.put(t.id(), predictionMap(t, data, predictor.get()));
                }
            }
            if (data != null) {
                datasets.put(results.sweep(), data);
            }
            List<SweepReport.Figure> figures = new SweepReport(results, xParams, drawn, confusions).write();
            out.printf(Locale.ROOT, "%s: %d plots, %d trials -> %s%n", results.sweep(), figures.size(),
                results.trials().size(), results.paths().reportDir().resolve("report.html"));
            out.flush();
        }
        if (all.size() >= 2) {
            Path dir = compareDir != null ? compareDir : logs.resolve("comparison");
            boolean best = epoch.equals("best");
            List<SweepResults> compared = best ? all.stream().map(SweepResults::atBestEpochs).toList() : all;
            // the figure's models are the saved, last-epoch ones: it picks and labels them by their last epoch
            SweepComparison comparison = new SweepComparison(compared, fiveImages(all, datasets, predictions, err),
                best);
            Path html;
            try {
                html = comparison.write(dir);
            } catch (IllegalArgumentException e) {
                throw new InputException("--compare-dir", 0, 0, null, e.getMessage());
            }
            out.println();
            out.print(comparison.text());
            out.println("comparison of " + all.size() + " sweeps -> " + html + " (table.md, table.csv"
                + (Files.exists(dir.resolve("five-images.png")) ? ", five-images.png" : "") + ")");
            out.flush();
        }
        return ExitCodes.OK;
    }

    private List<TrialResults> mapTrials(SweepResults results) {
        List<TrialResults> ranked = results.trials().stream().filter(t -> t.rank() > 0 && !t.epochs().isEmpty()).toList();
        Set<TrialResults> chosen = new LinkedHashSet<>();
        for (String which : maps.split(",")) {
            String w = which.trim();
            switch (w) {
                case "none", "" -> { }
                case "all" -> chosen.addAll(results.trials());
                case "best" -> ranked.stream().findFirst().ifPresent(chosen::add);
                case "worst" -> ranked.stream().reduce((a, b) -> b).ifPresent(chosen::add);
                default -> chosen.add(results.trials().stream().filter(t -> t.id().equals(w)).findFirst()
                    .orElseThrow(() -> new InputException("--maps", 0, 0, null, "sweep " + results.sweep()
                        + " has no trial '" + w + "'; give best, worst, all, none or trial ids")));
            }
        }
        return List.copyOf(chosen);
    }

    /**
     * Up to five test images the best baseline (the sweep whose best trial has the highest test
     * accuracy) classifies correctly and the worst misclassifies, in test-split order, from the
     * two trials' saved models (EXPERIMENTS 3.6); null, with a note, when the sweeps did not all
     * learn from the same image data or a model is missing.
     */
    private static ImageComparison fiveImages(List<SweepResults> all, Map<String, Dataset> datasets,
                                              Map<String, Map<String, int[]>> predictions, PrintWriter err) {
        List<SweepComparison.Row> best = new SweepComparison(all, null).bestPerBaseline();
        if (best.size() < 2) {
            return null;
        }
        Object first = all.get(0).provenance().get("dataset");
        for (SweepResults r : all) {
            if (first == null || !first.equals(r.provenance().get("dataset"))) {
                err.println("hpsweep: note: the sweeps learnt from different data sets; no five-image figure");
                return null;
            }
        }
        SweepComparison.Row right = best.get(0);
        SweepComparison.Row wrong = best.get(best.size() - 1);
        SweepResults source = all.stream().filter(r -> r.sweep().equals(right.baseline())).findFirst().orElseThrow();
        Dataset data = datasets.containsKey(source.sweep()) ? datasets.get(source.sweep()) : data(source, err);
        if (data == null || data.shape().dims().size() != 3) {
            return null;
        }
        int[] a = testPredictions(all, right, data, predictions, err);
        int[] b = testPredictions(all, wrong, data, predictions, err);
        if (a == null || b == null) {
            return null;
        }
        int[] truth = data.test().labels();
        List<ImageComparison.Example> examples = new ArrayList<>();
        for (int i = 0; i < truth.length && examples.size() < 5; i++) {
            if (a[i] == truth[i] && b[i] != truth[i]) {
                examples.add(new ImageComparison.Example(i, data.test().features()[i], data.shape().channels(),
                    data.shape().height(), data.shape().width(), truth[i], a[i], b[i]));
            }
        }
        if (examples.isEmpty()) {
            err.println("hpsweep: note: no test image that " + right.baseline() + " gets right and " + wrong.baseline()
                + " gets wrong");
            return null;
        }
        return new ImageComparison(String.format(Locale.ROOT, "Test images the best baseline gets right and the worst "
            + "gets wrong (first %d in test order)", examples.size()),
            label(right), label(wrong), data.classNames(), examples);
    }

    private static String label(SweepComparison.Row r) {
        return String.format(Locale.ROOT, "%s %s (test acc %.3f)", r.baseline(), r.trial().label(),
            number(r.trial().lastEpoch().get("test_accuracy")));
    }

    /** A baseline's best trial's predictions on the test split: computed for its report, or now. */
    private static int[] testPredictions(List<SweepResults> all, SweepComparison.Row row, Dataset data,
                                         Map<String, Map<String, int[]>> predictions, PrintWriter err) {
        int[] known = predictions.getOrDefault(row.baseline(), Map.of()).get(row.trial().id());
        if (known != null) {
            return known;
        }
        SweepResults results = all.stream().filter(r -> r.sweep().equals(row.baseline())).findFirst().orElseThrow();
        ModelType model = model(results, err);
        Optional<ModelType.Predictor> predictor = model == null || row.trial().model() == null ? Optional.empty()
            : model.savedModel(row.trial().model(), row.trial().params(), data);
        if (predictor.isEmpty()) {
            err.println("hpsweep: note: " + row.baseline() + "/" + row.trial().id() + " has no saved model to predict "
                + "with; no five-image figure");
            return null;
        }
        return predictor.get().predict(data.test().features());
    }

    /** The data the sweep trained on, from its provenance (or its search-space file); null if unavailable. */
    private static Dataset data(SweepResults results, PrintWriter err) {
        try {
            Object recorded = results.provenance().get("dataset");
            if (!(recorded instanceof Map<?, ?>) && results.provenance().get("search_space") == null) {
                throw new IllegalArgumentException("its provenance.json names no data set");
            }
            DatasetSpec spec = recorded instanceof Map<?, ?> m ? DatasetSpec.fromMap(m)
                : SearchSpaceLoader.load(Path.of(String.valueOf(results.provenance().get("search_space")))).dataset();
            return SweepInputs.loadData(spec);
        } catch (RuntimeException e) {
            err.println("hpsweep: note: cannot load the data set of " + results.sweep() + " (" + e.getMessage()
                + "); no prediction maps");
            return null;
        }
    }

    /** The sweep's model type, from its provenance (or its search-space file); null if unavailable. */
    private static ModelType model(SweepResults results, PrintWriter err) {
        try {
            ModelRegistry registry = ModelRegistry.installed();
            if (results.provenance().get("model") instanceof Map<?, ?> m && m.get("type") instanceof String type) {
                if (!registry.isKnown(type) && m.get("class") instanceof String className) {
                    registry.registerClass(className);
                }
                return registry.type(type);
            }
            Object file = results.provenance().get("search_space");
            if (file == null) {
                throw new IllegalArgumentException("its provenance.json names no model type");
            }
            return registry.type(SearchSpaceLoader.load(Path.of(String.valueOf(file))).modelType());
        } catch (RuntimeException e) {
            err.println("hpsweep: note: cannot tell the model type of " + results.sweep() + " (" + e.getMessage()
                + "); no prediction maps");
            return null;
        }
    }

    private PredictionMap predictionMap(TrialResults t, Dataset data, ModelType.Predictor predictor) {
        float[][] test = data.test().features();
        float[] lon = new float[test.length];
        float[] lat = new float[test.length];
        for (int i = 0; i < test.length; i++) {
            lon[i] = test[i][0];
            lat[i] = test[i][1];
        }
        double[][] axes = PredictionMap.grid(lon, lat, mapColumns, 1, 1.0);
        double lonSpan = axes[0][axes[0].length - 1] - axes[0][0];
        double[][] tmp = PredictionMap.grid(lon, lat, 1, 2, 1.0);
        double latSpan = (tmp[1][1] - tmp[1][0]) * 2;
        int rows = Math.max(10, (int) Math.round(mapColumns * latSpan / lonSpan));
        axes = PredictionMap.grid(lon, lat, mapColumns, rows, 1.0);
        float[][] points = new float[mapColumns * rows][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < mapColumns; c++) {
                points[r * mapColumns + c] = new float[] {(float) axes[0][c], (float) axes[1][r]};
            }
        }
        int[] flat = predictor.predict(points);
        int[][] predicted = new int[rows][mapColumns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * mapColumns, predicted[r], 0, mapColumns);
        }
        Map<String, Object> last = t.lastEpoch();
        String title = String.format(Locale.ROOT, "%s (rank %d): predicted country; last epoch val acc %.3f, test acc %.3f",
            t.label(), t.rank(), number(last.get("val_accuracy")), number(last.get("test_accuracy")));
        return new PredictionMap(title, axes[0], axes[1], predicted, lon, lat, data.test().labels(), data.classNames());
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
