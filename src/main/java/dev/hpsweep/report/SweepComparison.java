package dev.hpsweep.report;

import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.report.SweepResults.TrialResults;
import dev.hpsweep.space.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Several sweeps side by side, as the study's Part 3 table compares its baselines: one row per
 * trial (baseline x searched values) with the last epoch's losses and accuracies (or the best
 * epoch's: give sweeps cut there, {@link SweepResults#atBestEpochs()}), the best trial
 * of each baseline (its sweep's rank 1) marked, then the baselines' best trials ordered by test
 * accuracy; optionally the figure of test images the best baseline gets right and the worst gets
 * wrong. Written as {@code table.md}, {@code table.csv} and a self-contained {@code comparison.html}.
 * Sweeps that are one sweep run with several seeds are also summarised over their seeds ({@link SeedSummary}).
 */
public final class SweepComparison {
    private final List<SweepResults> sweeps;
    private final ImageComparison images;
    private SeedSummary seeds;
    private final boolean bestEpochs;

    /**
     * One trial's row.
     *
     * @param baseline the sweep's name
     * @param model    what the sweep trains (type, start and freeze), from its provenance
     * @param best     whether it is its sweep's best trial (rank 1)
     */
    public record Row(String baseline, String model, TrialResults trial, boolean best) {
        double metric(String name) {
            return SweepResults.number(trial.lastEpoch().get(name));
        }
    }

    /** @param images the five-image figure, or null for none */
    public SweepComparison(List<SweepResults> sweeps, ImageComparison images) {
        this(sweeps, images, false);
    }

    /**
     * @param images     the five-image figure, or null for none
     * @param bestEpochs whether the sweeps are cut at each trial's best epoch ({@link
     *                   SweepResults#atBestEpochs()}): the tables then say so and name each trial's epoch
     */
    public SweepComparison(List<SweepResults> sweeps, ImageComparison images, boolean bestEpochs) {
        this.sweeps = List.copyOf(sweeps);
        this.images = images;
        this.bestEpochs = bestEpochs;
    }

    /**
     * The compared sweeps that are one sweep run with several seeds, summarised over them; made on
     * first use (grouping reads the sweeps that models start from).
     */
    public SeedSummary seeds() {
        if (seeds == null) {
            seeds = new SeedSummary(sweeps);
        }
        return seeds;
    }

    /** Every trial that finished an epoch, sweep by sweep in the order given, each in its leaderboard order. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (SweepResults s : sweeps) {
            String model = model(s.provenance());
            for (TrialResults t : s.withEpochs()) {
                rows.add(new Row(s.sweep(), model, t, t.rank() == 1));
            }
        }
        return rows;
    }

    /** Each sweep's best trial, highest test accuracy first (ties: validation accuracy). */
    public List<Row> bestPerBaseline() {
        return rows().stream().filter(Row::best)
            .sorted(Comparator.comparingDouble((Row r) -> -finite(r.metric(Metrics.TEST_ACCURACY)))
                .thenComparingDouble(r -> -finite(r.metric(Metrics.VAL_ACCURACY))))
            .toList();
    }

    private static double finite(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** "resnet18 from study-3-pretrain/best, backbone frozen". */
    static String model(Map<String, Object> provenance) {
        if (!(provenance.get("model") instanceof Map<?, ?> m)) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.valueOf(m.get("type")));
        if (m.get("init") instanceof Map<?, ?> init) {
            sb.append(" from ").append(init.get("sweep")).append('/').append(init.get("trial"));
            if ("backbone".equals(String.valueOf(m.get("freeze")))) {
                sb.append(", backbone frozen");
            }
        }
        return sb.toString();
    }

    private List<String> searchedNames() {
        Set<String> names = new LinkedHashSet<>();
        rows().forEach(r -> names.addAll(r.trial().searched().keySet()));
        return List.copyOf(names);
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("baseline", "trial"));
        h.addAll(searchedNames());
        h.add("status");
        if (bestEpochs) {
            h.add("epoch");
        }
        h.addAll(List.of("train_loss", "val_loss", "val_acc", "test_acc", "best"));
        return h;
    }

    private List<String> cells(Row r) {
        List<String> c = new ArrayList<>(List.of(r.baseline(), r.trial().id()));
        for (String p : searchedNames()) {
            Object v = r.trial().searched().get(p);
            c.add(v == null ? "-" : LeaderboardFormat.value(v));
        }
        c.add(r.trial().status().isEmpty() ? "-" : r.trial().status());
        if (bestEpochs) {
            Object epoch = r.trial().lastEpoch().get("epoch");
            c.add(epoch == null ? "-" : LeaderboardFormat.value(epoch));
        }
        for (String m : List.of(Metrics.TRAIN_LOSS, Metrics.VAL_LOSS, Metrics.VAL_ACCURACY, Metrics.TEST_ACCURACY)) {
            c.add(LeaderboardFormat.num(r.metric(m)));
        }
        c.add(r.best() ? "*" : "");
        return c;
    }

    private List<String> bestHeader() {
        return List.of("baseline", "model", "best trial", "val_acc", "test_acc");
    }

    private static List<String> bestCells(Row r) {
        return List.of(r.baseline(), r.model().isEmpty() ? "-" : r.model(), r.trial().label(),
            LeaderboardFormat.num(r.metric(Metrics.VAL_ACCURACY)), LeaderboardFormat.num(r.metric(Metrics.TEST_ACCURACY)));
    }

    /** Both tables as aligned text, for the console. */
    public String text() {
        TextTable all = new TextTable(header());
        rows().forEach(r -> all.add(cells(r)));
        TextTable best = new TextTable(bestHeader());
        bestPerBaseline().forEach(r -> best.add(bestCells(r)));
        String text = "Trials (" + epochNote() + "; * = the baseline's best by its objective):\n" + all.render()
            + "\nBest trial of each baseline, by test accuracy:\n" + best.render();
        SeedSummary seeds = seeds();
        if (seeds.isEmpty()) {
            return text;
        }
        TextTable values = new TextTable(seeds.valuesHeader());
        seeds.valuesRows().forEach(values::add);
        TextTable picks = new TextTable(seeds.picksHeader());
        seeds.picksRows().forEach(picks::add);
        String summary = "\nOver seeds (" + seedsNote() + "):\n  " + String.join("\n  ", seeds.groupLines()) + "\n"
            + values.render() + "\n" + PICKS_TITLE + ":\n" + picks.render();
        // "±" would print as "?" on a console whose encoding cannot write it
        boolean utf8 = "UTF-8".equalsIgnoreCase(System.getProperty("native.encoding", "UTF-8"));
        return text + (utf8 ? summary : summary.replace("±", "+-"));
    }

    private static final String PICKS_TITLE = "Each baseline's best trial (by its objective) over seeds; a tie counts "
        + "for each tied baseline";

    private String epochNote() {
        return bestEpochs ? "each trial's best epoch by its sweep's objective" : "last epoch";
    }

    private String seedsNote() {
        return "sweeps that differ only in their seed; " + epochNote() + ", mean ± sample standard deviation";
    }

    /** Both tables in Markdown. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        markdownTable(sb, header(), rows().stream().map(r -> bold(cells(r), r.best())).toList());
        markdownTable(sb.append('\n'), bestHeader(), bestPerBaseline().stream().map(SweepComparison::bestCells).toList());
        SeedSummary seeds = seeds();
        if (!seeds.isEmpty()) {
            sb.append("\nOver seeds (").append(seedsNote()).append("):\n\n");
            seeds.groupLines().forEach(l -> sb.append("- ").append(l).append('\n'));
            markdownTable(sb.append('\n'), seeds.valuesHeader(), seeds.valuesRows());
            markdownTable(sb.append('\n').append(PICKS_TITLE).append(":\n\n"), seeds.picksHeader(), seeds.picksRows());
        }
        return sb.toString();
    }

    private static void markdownTable(StringBuilder sb, List<String> header, List<List<String>> rows) {
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append('\n');
        rows.forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
    }

    private static List<String> bold(List<String> cells, boolean best) {
        return best ? cells.stream().map(c -> c.isEmpty() || c.equals("*") ? c : "**" + c + "**").toList() : cells;
    }

    /** The trials' table as CSV: full-precision numbers. */
    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", header())).append('\n');
        for (Row r : rows()) {
            StringJoiner line = new StringJoiner(",");
            List<String> c = cells(r);
            for (int i = 0; i < c.size(); i++) {
                line.add(i >= c.size() - 5 && i < c.size() - 1 ? full(r, i - (c.size() - 5)) : csvCell(c.get(i)));
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String full(Row r, int k) {
        double v = r.metric(List.of(Metrics.TRAIN_LOSS, Metrics.VAL_LOSS, Metrics.VAL_ACCURACY, Metrics.TEST_ACCURACY).get(k));
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** Writes table.md, table.csv, five-images.png (when there is one) and comparison.html into {@code dir}. */
    public Path write(Path dir) {
        Objects.requireNonNull(dir, "dir");
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("journal.jsonl"))) {
                throw new IllegalArgumentException(dir + (d.equals(dir.toAbsolutePath().normalize()) ? " holds"
                    : " is inside " + d + ", which holds") + " a sweep (journal.jsonl); give another directory");
            }
        }
        AtomicFiles.write(dir.resolve("table.md"), markdown());
        AtomicFiles.write(dir.resolve("table.csv"), csv());
        byte[] png = images == null ? null : images.png();
        if (png != null) {
            AtomicFiles.write(dir.resolve("five-images.png"), png);
        }
        Path html = dir.resolve("comparison.html");
        AtomicFiles.write(html, html(png));
        return html;
    }

    private String html(byte[] png) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>hpsweep comparison</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1700px}"
            + "table{border-collapse:collapse;font-size:13px;margin-bottom:1.5em}td,th{border:1px solid #ccc;"
            + "padding:3px 6px;text-align:right}th{background:#f0f0f0}tr.best td{font-weight:bold;background:#eef7ee}"
            + "img{max-width:100%;border:1px solid #eee}</style></head><body>\n<h1>");
        h.append(esc(String.join(", ", sweeps.stream().map(SweepResults::sweep).toList()))).append("</h1>\n");
        h.append("<h2>Trials</h2>\n<p>Metrics of ").append(bestEpochs ? "each trial's best epoch by its sweep's objective"
            : "each trial's last epoch").append("; bold: the baseline's best trial by its "
            + "sweep's objective.</p>\n").append(table(header(), rows().stream().map(r -> Map.entry(cells(r), r.best())).toList()));
        h.append("<h2>Best trial of each baseline</h2>\n")
            .append(table(bestHeader(), bestPerBaseline().stream().map(r -> Map.entry(bestCells(r), false)).toList()));
        SeedSummary seeds = seeds();
        if (!seeds.isEmpty()) {
            h.append("<h2>Over seeds</h2>\n<p>").append(esc(seedsNote().substring(0, 1).toUpperCase(Locale.ROOT)
                + seedsNote().substring(1))).append(".</p>\n<ul>");
            seeds.groupLines().forEach(l -> h.append("<li>").append(esc(l)).append("</li>"));
            h.append("</ul>\n").append(table(seeds.valuesHeader(), seeds.valuesRows().stream()
                .map(r -> Map.entry(r, false)).toList()));
            h.append("<h3>").append(esc(PICKS_TITLE)).append("</h3>\n").append(table(
                seeds.picksHeader(), seeds.picksRows().stream().map(r -> Map.entry(r, false)).toList()));
        }
        if (png != null) {
            h.append("<h2>").append(esc(images.title())).append("</h2>\n<figure><img alt=\"five-images.png\" "
                + "src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\"></figure>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String table(List<String> header, List<Map.Entry<List<String>, Boolean>> rows) {
        StringBuilder t = new StringBuilder("<table>\n<tr>");
        header.forEach(c -> t.append("<th>").append(esc(c)).append("</th>"));
        t.append("</tr>\n");
        for (Map.Entry<List<String>, Boolean> r : rows) {
            t.append(r.getValue() ? "<tr class=\"best\">" : "<tr>");
            r.getKey().forEach(c -> t.append("<td>").append(esc(c)).append("</td>"));
            t.append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String esc(String s) {
        return SweepReport.esc(s);
    }
}
