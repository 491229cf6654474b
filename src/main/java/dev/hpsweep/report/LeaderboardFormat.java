package dev.hpsweep.report;

import dev.hpsweep.journal.EpochMetrics;
import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.TrialSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** The text of leaderboard.log (made for {@code tail -f}) and of leaderboard.csv. */
public final class LeaderboardFormat {
    /** How the line that ends a sweep's log starts; {@code hpsweep tail} stops after it. */
    public static final String SWEEP_END_MARKER = "=== sweep ended:";
    /** How the line that ends an interrupted run starts; a resumed run appends after it. */
    public static final String SWEEP_INTERRUPTED_MARKER = "=== sweep interrupted:";
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private LeaderboardFormat() {
    }

    /** Whether {@code line} ends a run of a sweep (finished or interrupted). */
    public static boolean isEndLine(String line) {
        return line.startsWith(SWEEP_END_MARKER) || line.startsWith(SWEEP_INTERRUPTED_MARKER);
    }

    /** One line per finished epoch: time, trial, its parameters, progress, the six metrics, the leader. */
    public static String epochLine(TrialSpec trial, EpochMetrics m, Leaderboard board) {
        StringBuilder sb = new StringBuilder();
        sb.append(TIME.format(Instant.ofEpochMilli(m.timeMillis()))).append("  ").append(trial.id());
        String params = params(trial.searched());
        if (!params.isEmpty()) {
            sb.append(" [").append(params).append(']');
        }
        int w = Integer.toString(m.epochs()).length();
        sb.append(String.format(Locale.ROOT, "  epoch %" + w + "d/%d", m.epoch(), m.epochs()));
        sb.append("  train ").append(lossAcc(m, Metrics.TRAIN_LOSS, Metrics.TRAIN_ACCURACY));
        sb.append("  val ").append(lossAcc(m, Metrics.VAL_LOSS, Metrics.VAL_ACCURACY));
        sb.append("  test ").append(lossAcc(m, Metrics.TEST_LOSS, Metrics.TEST_ACCURACY));
        sb.append(String.format(Locale.ROOT, "  %.1fs %.0f samples/s", m.seconds(), m.samplesPerSecond()));
        board.best().ifPresent(best -> sb.append("  | best ").append(best.trial().id()).append(' ')
            .append(board.objective().metric()).append('=')
            .append(num(best.best().metric(board.objective().metric())))
            .append(" @").append(best.best().epoch()));
        return sb.toString();
    }

    private static String lossAcc(EpochMetrics m, String loss, String acc) {
        return "loss " + num(m.metric(loss)) + " acc " + num(m.metric(acc));
    }

    /** The ranked table, under a title line; metrics are those of each trial's best epoch. */
    public static String table(String title, Leaderboard board) {
        List<Leaderboard.Row> rows = board.ranked();
        List<String> paramNames = paramNames(rows);
        String objective = board.objective().metric();
        List<String> header = new ArrayList<>(List.of("rank", "trial", "status", "epochs", "best " + objective, "@epoch"));
        header.addAll(paramNames);
        header.addAll(List.of("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "time"));
        TextTable table = new TextTable(header);
        for (Leaderboard.Row r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(r.rank()));
            cells.add(r.trial().id());
            cells.add(r.status().name());
            cells.add(r.epochsDone() + "/" + r.epochsTotal());
            cells.add(r.best() == null ? "-" : num(r.best().metric(objective)));
            cells.add(r.best() == null ? "-" : Integer.toString(r.best().epoch()));
            for (String p : paramNames) {
                cells.add(value(r.trial().params().get(p)));
            }
            for (String metric : Metrics.STANDARD) {
                cells.add(r.best() == null ? "-" : num(r.best().metric(metric)));
            }
            cells.add(duration(r.secondsTotal()));
            table.add(cells);
        }
        StringBuilder sb = new StringBuilder(title).append('\n').append(table.render());
        for (Leaderboard.Row r : rows) {
            if (!r.reason().isEmpty()) {
                sb.append("  ").append(r.trial().id()).append(' ').append(r.status().name()).append(": ")
                    .append(r.reason()).append('\n');
            }
        }
        return sb.toString();
    }

    /** leaderboard.csv: the table's columns plus every parameter, seconds and reason. */
    public static String csv(Leaderboard board) {
        List<Leaderboard.Row> rows = board.ranked();
        List<String> paramNames = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).trial().params().keySet());
        String objective = board.objective().metric();
        StringJoiner header = new StringJoiner(",");
        for (String h : List.of("rank", "trial", "status", "epochs_done", "epochs", objective + "_best", "best_epoch")) {
            header.add(h);
        }
        paramNames.forEach(header::add);
        Metrics.STANDARD.forEach(header::add);
        header.add("seconds").add("reason");
        StringBuilder sb = new StringBuilder(header.toString()).append('\n');
        for (Leaderboard.Row r : rows) {
            StringJoiner line = new StringJoiner(",");
            line.add(Integer.toString(r.rank())).add(r.trial().id()).add(r.status().name())
                .add(Integer.toString(r.epochsDone())).add(Integer.toString(r.epochsTotal()))
                .add(r.best() == null ? "" : Double.toString(r.best().metric(objective)))
                .add(r.best() == null ? "" : Integer.toString(r.best().epoch()));
            for (String p : paramNames) {
                line.add(csvCell(value(r.trial().params().get(p))));
            }
            for (String metric : Metrics.STANDARD) {
                line.add(r.best() == null ? "" : Double.toString(r.best().metric(metric)));
            }
            line.add(String.format(Locale.ROOT, "%.3f", r.secondsTotal())).add(csvCell(r.reason()));
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static List<String> paramNames(List<Leaderboard.Row> rows) {
        Set<String> names = new LinkedHashSet<>();
        for (Leaderboard.Row r : rows) {
            names.addAll(r.trial().searched().keySet());
        }
        return List.copyOf(names);
    }

    static String params(Map<String, Object> params) {
        StringJoiner j = new StringJoiner(" ");
        params.forEach((k, v) -> j.add(k + "=" + value(v)));
        return j.toString();
    }

    static String value(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.6g", d).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
        }
        return String.valueOf(v);
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
    }

    /** 42s, 3m05s, 2h07m. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    private static String csvCell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
