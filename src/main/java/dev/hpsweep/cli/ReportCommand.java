package dev.hpsweep.cli;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.report.PredictionMap;
import dev.hpsweep.report.SweepReport;
import dev.hpsweep.report.SweepResults;
import dev.hpsweep.report.SweepResults.TrialResults;
import dev.hpsweep.space.DatasetSpec;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.SweepName;
import java.io.PrintWriter;
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
 * {@code logs/NAME/report/} (PNG files and a self-contained report.html). The prediction maps need
 * the trials' saved models and the data set, so this command evaluates them ({@code train}) and
 * hands plain arrays to {@code report}, which draws.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Plot sweeps' results into logs/NAME/report/ (PNG files and report.html).")
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

    @Option(names = "--maps", paramLabel = "WHICH", defaultValue = "best,worst",
        description = "prediction maps to draw: best, worst, all, none, or trial ids, comma-separated "
            + "(default: ${DEFAULT-VALUE})")
    String maps;

    @Option(names = "--map-columns", paramLabel = "N", defaultValue = "300",
        description = "grid columns of a prediction map (default: ${DEFAULT-VALUE}); rows follow the aspect")
    int mapColumns;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mapColumns < 10 || mapColumns > 2000) {
            throw new InputException("--map-columns", 0, 0, null, "must be in [10, 2000], but got " + mapColumns);
        }
        List<SweepResults> all = new ArrayList<>();
        for (String sweep : sweeps) {
            try {
                all.add(SweepResults.read(logs, SweepName.checkArgument("NAME", sweep)));
            } catch (IllegalArgumentException e) {
                throw new InputException("report", 0, 0, null, e.getMessage());
            }
        }
        Set<String> known = new LinkedHashSet<>();
        all.forEach(r -> r.trials().forEach(t -> known.addAll(t.params().keySet())));
        for (String p : xParams) {
            if (!known.contains(p)) {
                throw new InputException("--x-param", 0, 0, null, "unknown parameter '" + p + "'; the trials have: "
                    + String.join(", ", known));
            }
        }
        for (SweepResults results : all) {
            Map<String, PredictionMap> drawn = new LinkedHashMap<>();
            List<TrialResults> chosen = new ArrayList<>();
            for (TrialResults t : mapTrials(results)) {
                if (t.model() == null) {
                    err.println("hpsweep: note: " + results.sweep() + "/" + t.id() + " saved no model; no prediction map");
                } else {
                    chosen.add(t);
                }
            }
            Dataset data = chosen.isEmpty() ? null : data(results, err);
            ModelType model = data == null ? null : model(results, err);
            if (data != null && data.shape().dims().size() == 1 && data.shape().size() == 2 && model != null) {
                for (TrialResults t : chosen) {
                    Optional<ModelType.Predictor> predictor = model.savedModel(t.model(), t.params(), data);
                    if (predictor.isPresent()) {
                        drawn.put(t.id(), predictionMap(t, data, predictor.get()));
                    } else {
                        err.println("hpsweep: note: model type '" + model.name() + "' cannot predict from a saved "
                            + "model; no prediction map");
                    }
                }
            } else if (data != null) {
                err.println("hpsweep: note: prediction maps are drawn over two features (longitude, latitude); "
                    + results.sweep() + "'s data has " + data.shape());
            }
            List<SweepReport.Figure> figures = new SweepReport(results, xParams, drawn).write();
            out.printf(Locale.ROOT, "%s: %d plots, %d trials -> %s%n", results.sweep(), figures.size(),
                results.trials().size(), results.paths().reportDir().resolve("report.html"));
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
