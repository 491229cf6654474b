package dev.hpsweep.report;

import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.report.SweepResults.TrialResults;
import dev.hpsweep.space.Metrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;

/**
 * Writes a sweep's plots as PNG files under {@code logs/<sweep>/report/} and one self-contained
 * {@code report.html} (every image embedded) that shows the leaderboard and every plot:
 * <ul>
 *   <li>the validation loss and accuracy of all trials on one plot each (EXPERIMENTS 1.1, 1.4);
 *   <li>per trial, train/val/test loss and accuracy against the epoch (1.2, 1.3, 2.1, 2.2);
 *   <li>training loss against the batch number, where trials recorded it (1.4);
 *   <li>final train/val/test accuracy against a numeric parameter (2.3, 2.4);
 *   <li>per trial, the recorded layers' gradient magnitude against the epoch, log scale (2.5, 2.6);
 *   <li>the prediction maps the caller computed from saved models (2.1, 2.2, 2.7);
 *   <li>the confusion matrices on the test split the caller computed from saved models.
 * </ul>
 */
public final class SweepReport {
    /** Most points a batch-loss curve is drawn with on the all-trials plot; longer ones are binned. */
    static final int MAX_BATCH_POINTS = 1500;
    /** Most raw points on a trial's own batch-loss plot. */
    static final int MAX_RAW_BATCH_POINTS = 60_000;

    private final SweepResults results;
    private final List<String> xParams;
    private final Map<String, PredictionMap> maps;
    private final Map<String, ConfusionMatrix> confusions;
    private final Map<String, Figure> figures = new LinkedHashMap<>();

    /** A written plot: its file name, caption and section of the page. */
    public record Figure(String file, String section, String caption, byte[] png) {
    }

    /**
     * @param xParams parameters to plot final accuracy against; empty: every numeric searched
     *                parameter with at least two values
     * @param maps    prediction maps by trial id, already computed (the report draws no model)
     */
    public SweepReport(SweepResults results, List<String> xParams, Map<String, PredictionMap> maps) {
        this(results, xParams, maps, Map.of());
    }

    /** @param confusions test-split confusion matrices by trial id, already computed */
    public SweepReport(SweepResults results, List<String> xParams, Map<String, PredictionMap> maps,
                       Map<String, ConfusionMatrix> confusions) {
        this.results = Objects.requireNonNull(results, "results");
        this.xParams = List.copyOf(xParams);
        this.maps = new LinkedHashMap<>(maps);
        this.confusions = new LinkedHashMap<>(confusions);
    }

    /** Renders every plot and writes them and report.html; returns the figures in page order. */
    public List<Figure> write() {
        List<TrialResults> trials = results.withEpochs();
        if (!trials.isEmpty()) {
            validationCurves(trials);
            batchLoss(trials);
            accuracyVsParams(trials);
            for (TrialResults t : trials) {
                trialCurves(t);
                gradients(t);
            }
        }
        maps.forEach((trial, map) -> add(new Figure(trial + "-prediction-map.png", "Prediction maps",
            map.title(), map.png())));
        confusions.forEach((trial, matrix) -> add(new Figure(trial + "-confusion.png", "Confusion matrices",
            matrix.title(), matrix.png())));
        Path dir = results.paths().reportDir();
        for (Figure f : figures.values()) {
            AtomicFiles.write(dir.resolve(f.file()), f.png());
        }
        AtomicFiles.write(dir.resolve("report.html"), html());
        return List.copyOf(figures.values());
    }

    private void add(Figure figure) {
        figures.put(figure.file(), figure);
    }

    private void validationCurves(List<TrialResults> trials) {
        XYChart loss = Charts.line(results.sweep() + ": validation loss", "epoch", "validation loss");
        Charts.logYIfSpread(loss, trials.stream().map(t -> t.series(Metrics.VAL_LOSS)).toList(), 10);
        XYChart acc = Charts.line(results.sweep() + ": validation accuracy", "epoch", "validation accuracy");
        for (TrialResults t : trials) {
            Charts.add(loss, t.label(), t.epochNumbers(), t.series(Metrics.VAL_LOSS));
            Charts.add(acc, t.label(), t.epochNumbers(), t.series(Metrics.VAL_ACCURACY));
        }
        acc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        add(new Figure("validation-curves.png", "All trials",
            "Validation loss and accuracy per epoch, every trial on one plot.", Charts.png(List.of(loss, acc))));
    }

    private void trialCurves(TrialResults t) {
        XYChart loss = Charts.line(t.label() + ": loss", "epoch", "cross-entropy loss");
        // Some first epochs start an order of magnitude above where training settles (2.6: 8.8, then 0.3).
        Charts.logYIfSpread(loss, Stream.of("train", "val", "test").map(split -> t.series(split + "_loss")).toList(), 10);
        XYChart acc = Charts.line(t.label() + ": accuracy", "epoch", "accuracy");
        for (String split : List.of("train", "val", "test")) {
            Charts.add(loss, split, t.epochNumbers(), t.series(split + "_loss"));
            Charts.add(acc, split, t.epochNumbers(), t.series(split + "_accuracy"));
        }
        Charts.dashed(loss, "test");
        Charts.dashed(acc, "test");
        acc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        String status = t.status().isEmpty() ? "" : ", " + t.status().toLowerCase(Locale.ROOT);
        add(new Figure(t.id() + "-curves.png", "Trials", t.label() + " (rank " + (t.rank() == 0 ? "-" : t.rank())
            + status + "): train/val/test loss and accuracy per epoch.", Charts.png(List.of(loss, acc))));
    }

    private static double[] batchLosses(TrialResults t) {
        List<Double> all = new ArrayList<>();
        for (Map<String, Object> line : t.diagnostics()) {
            if (line.get("batch_loss") instanceof List<?> values) {
                values.forEach(v -> all.add(SweepResults.number(v)));
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private void batchLoss(List<TrialResults> trials) {
        XYChart all = Charts.line(results.sweep() + ": training loss per batch", "batch (optimizer step)",
            "training loss of the batch");
        Map<String, double[][]> curves = new LinkedHashMap<>();
        int binned = 0;
        for (TrialResults t : trials) {
            double[] y = batchLosses(t);
            if (y.length == 0) {
                continue;
            }
            double[][] bins = Charts.binMeans(y, MAX_BATCH_POINTS);
            int k = (int) Math.ceil(y.length / (double) bins[1].length);
            binned = Math.max(binned, k);
            curves.put(t.label() + (k > 1 ? " (mean of " + k + ")" : ""), bins);

            XYChart own = Charts.line(t.label() + ": training loss per batch", "batch (optimizer step)",
                "training loss of the batch");
            double[][] raw = Charts.binMeans(y, MAX_RAW_BATCH_POINTS);
            int rk = (int) Math.ceil(y.length / (double) raw[1].length);
            Charts.add(own, rk > 1 ? "mean of " + rk + " batches" : "every batch", raw[0], raw[1]);
            Charts.roundXTicks(own);
            own.getStyler().setLegendVisible(rk > 1);
            add(new Figure(t.id() + "-batch-loss.png", "Training loss per batch", t.label() + ": the loss of each of its "
                + y.length + " batches" + (rk > 1 ? " (means of " + rk + ")" : "") + ".", Charts.png(own)));
        }
        if (curves.isEmpty()) {
            return;
        }
        // The first batches of a raw-input net sit an order of magnitude above where training settles (1.4: 20
        // against 0.3); on a linear axis that squeezes every curve's useful part into the bottom tenth.
        Charts.logYIfSpread(all, curves.values().stream().map(bins -> bins[1]).toList(), 20);
        curves.forEach((label, bins) -> Charts.add(all, label, bins[0], bins[1]));
        Charts.roundXTicks(all);
        figures.put("batch-loss.png", new Figure("batch-loss.png", "All trials",
            "Training loss per batch, every trial" + (binned > 1 ? "; long series drawn as means of consecutive "
                + "batches (at most " + MAX_BATCH_POINTS + " points each)" : "") + ".", Charts.png(all)));
    }

    private void accuracyVsParams(List<TrialResults> trials) {
        List<String> candidates = new ArrayList<>(xParams);
        if (candidates.isEmpty()) {
            Set<String> searched = new LinkedHashSet<>();
            trials.forEach(t -> searched.addAll(t.searched().keySet()));
            for (String p : searched) {
                if (trials.stream().map(t -> t.params().get(p)).filter(v -> v instanceof Number).distinct().count() >= 2) {
                    candidates.add(p);
                }
            }
        }
        for (String p : candidates) {
            // Trials that differ only in p form one curve; e.g. depth at width 16 in the depth/width table.
            Map<String, List<TrialResults>> groups = new TreeMap<>();
            for (TrialResults t : trials) {
                if (!(t.params().get(p) instanceof Number)) {
                    continue;
                }
                StringBuilder key = new StringBuilder();
                t.searched().forEach((k, v) -> {
                    if (!k.equals(p)) {
                        key.append(key.length() == 0 ? "" : ", ").append(k).append('=').append(LeaderboardFormat.value(v));
                    }
                });
                groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(t);
            }
            groups.forEach((others, group) -> {
                group.sort((a, b) -> Double.compare(SweepResults.number(a.params().get(p)),
                    SweepResults.number(b.params().get(p))));
                if (group.size() < 2) {
                    return;
                }
                double[] x = group.stream().mapToDouble(t -> SweepResults.number(t.params().get(p))).toArray();
                String where = others.isEmpty() ? "" : " (" + others + ")";
                XYChart chart = Charts.line(results.sweep() + ": final accuracy vs " + p + where, p, "accuracy at the last epoch");
                chart.getStyler().setXAxisLogarithmic(x[0] > 0 && x[x.length - 1] / x[0] >= 100);
                chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
                for (String split : List.of("train", "val", "test")) {
                    double[] y = group.stream().mapToDouble(t -> SweepResults.number(t.lastEpoch().get(split + "_accuracy")))
                        .toArray();
                    Charts.add(chart, split, x, y);
                    chart.getSeriesMap().get(split).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                }
                String suffix = others.isEmpty() ? "" : "-" + others.replaceAll("[^A-Za-z0-9.]+", "_");
                add(new Figure("accuracy-vs-" + p + suffix + ".png", "Accuracy against a parameter",
                    "Train/val/test accuracy at each trial's last epoch against " + p + where + ".", Charts.png(chart)));
            });
        }
    }

    private void gradients(TrialResults t) {
        Map<Integer, double[]> layers = new TreeMap<>();
        int epochs = t.diagnostics().size();
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            Map<String, Object> line = t.diagnostics().get(e);
            x[e] = SweepResults.number(line.get("epoch"));
            for (Map.Entry<String, Object> entry : line.entrySet()) {
                if (entry.getKey().startsWith("grad_sq_norm_layer_") && entry.getValue() instanceof List<?> v && !v.isEmpty()) {
                    int layer = Integer.parseInt(entry.getKey().substring("grad_sq_norm_layer_".length()));
                    layers.computeIfAbsent(layer, k -> filled(epochs))[e] = SweepResults.number(v.get(0));
                }
            }
        }
        if (layers.isEmpty()) {
            return;
        }
        XYChart chart = Charts.line(t.label() + ": gradient magnitude", "epoch",
            "mean over batches of ||dL/dW||² (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        double[] range = Charts.positiveRange(layers.values());
        double lo = range[0];
        double hi = range[1];
        // A net whose recorded gradients are all exactly 0 (e.g. 100 width-4 ReLU layers without batch norm,
        // where no signal gets through) is a result worth seeing, but not on a log scale.
        boolean allZero = hi == 0;
        if (allZero) {
            chart.getStyler().setYAxisLogarithmic(false);
            chart.setYAxisTitle("mean over batches of ||dL/dW||²");
        }
        // Labels between decades only when the values span a couple of decades; over 20 they would overlap.
        chart.getStyler().setYAxisLogarithmicDecadeOnly(hi / lo > 100);
        // XChart draws a grid line at every minor tick of a log axis: over many decades they fill the plot.
        chart.getStyler().setPlotGridHorizontalLinesVisible(hi / lo < 1e8);
        chart.getStyler().setYAxisDecimalPattern("0.##E0");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        List<String> zero = new ArrayList<>();
        layers.forEach((layer, y) -> {
            if (!Charts.add(chart, "layer " + layer, x, y)) {
                zero.add(Integer.toString(layer));
            }
        });
        String note = allZero ? " The gradient was exactly 0 at every epoch in every recorded layer (linear scale)."
            : zero.isEmpty() ? "" : " Not drawn (exactly 0 at every epoch, below any log scale): layer "
            + String.join(", ", zero) + ".";
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        add(new Figure(t.id() + "-gradients.png", "Gradient magnitudes", t.label()
            + ": squared L2 norm of each recorded layer's weight gradient, averaged over the epoch's batches (layer 0 "
            + "is the first hidden layer)." + note, Charts.png(chart)));
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    private String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hpsweep report: ")
            .append(esc(results.sweep())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1700px}"
                + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
                + "th{background:#f0f0f0}figure{margin:1em 0}figcaption{font-size:14px;color:#333}"
                + "img{max-width:100%;border:1px solid #eee}</style></head><body>\n");
        h.append("<h1>Sweep ").append(esc(results.sweep())).append("</h1>\n");
        Object space = results.provenance().get("search_space");
        if (space != null) {
            h.append("<p>Search space <code>").append(esc(String.valueOf(space))).append("</code>, seed ")
                .append(esc(String.valueOf(results.provenance().get("seed")))).append(", data ")
                .append(esc(String.valueOf(results.provenance().get("dataset")))).append(".</p>\n");
        }
        h.append("<h2>Leaderboard</h2>\n");
        if (results.leaderboard().isEmpty()) {
            h.append("<p>No leaderboard.csv.</p>\n");
        } else {
            h.append("<table>\n");
            for (int r = 0; r < results.leaderboard().size(); r++) {
                String cell = r == 0 ? "th" : "td";
                h.append("<tr>");
                for (String c : results.leaderboard().get(r)) {
                    h.append('<').append(cell).append('>').append(esc(shortNumber(c))).append("</").append(cell).append('>');
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        String section = null;
        for (String wanted : List.of("All trials", "Accuracy against a parameter", "Prediction maps", "Confusion matrices",
            "Gradient magnitudes",
            "Trials", "Training loss per batch")) {
            for (Figure f : figures.values()) {
                if (!f.section().equals(wanted)) {
                    continue;
                }
                if (!wanted.equals(section)) {
                    section = wanted;
                    h.append("<h2>").append(esc(wanted)).append("</h2>\n");
                }
                h.append("<figure><img alt=\"").append(esc(f.file())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(f.png())).append("\"><figcaption>").append(esc(f.caption()))
                    .append(" <small>(").append(esc(f.file())).append(")</small></figcaption></figure>\n");
            }
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** 0.93412345678 -> 0.9341 in the page's table; other cells unchanged. */
    private static String shortNumber(String cell) {
        if (cell.matches("-?\\d+\\.\\d{5,}(E-?\\d+)?")) {
            return String.format(Locale.ROOT, "%.4g", Double.parseDouble(cell));
        }
        return cell;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
