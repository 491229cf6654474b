package dev.hpsweep.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hpsweep.journal.JsonLines;
import dev.hpsweep.journal.SweepPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a sweep left under {@code logs/<sweep>/}, read back for the report: each trial's parameters
 * (trial.json), epochs (metrics.jsonl), diagnostics (diagnostics.jsonl) and saved model, the
 * leaderboard (leaderboard.csv) and the sweep's provenance. A torn last line (a sweep that is still
 * running or was killed) is skipped.
 *
 * @param sweep       the sweep's name
 * @param paths       where its files are
 * @param trials      in leaderboard rank order (best first), then trials without a rank by id
 * @param leaderboard leaderboard.csv as rows of cells, header first; empty if absent
 * @param provenance  provenance.json as a map; empty if absent
 */
public record SweepResults(String sweep, SweepPaths paths, List<TrialResults> trials, List<List<String>> leaderboard,
                           Map<String, Object> provenance) {

    private static final ObjectMapper MAPPER = JsonLines.MAPPER;

    /**
     * One trial's files.
     *
     * @param id          trial-0001, ...
     * @param rank        1 for the best, 0 if the leaderboard does not list it
     * @param status      from the leaderboard (COMPLETED, FAILED, ...), "" if unknown
     * @param params      every parameter value (numbers, booleans, strings, lists)
     * @param searched    the parameters that varied
     * @param epochs      one map per finished epoch: the metrics plus {@code epoch} and {@code iterations}
     * @param diagnostics one map per epoch that recorded diagnostics: name -> list of numbers, plus
     *                    {@code epoch} and {@code iterations}
     * @param model       the saved final model, or null if the trial saved none
     */
    public record TrialResults(String id, int rank, String status, Map<String, Object> params,
                               Map<String, Object> searched, List<Map<String, Object>> epochs,
                               List<Map<String, Object>> diagnostics, Path model) {

        /** A metric's value per finished epoch, NaN where absent. */
        public double[] series(String metric) {
            return epochs.stream().mapToDouble(e -> number(e.get(metric))).toArray();
        }

        public double[] epochNumbers() {
            return epochs.stream().mapToDouble(e -> number(e.get("epoch"))).toArray();
        }

        public Map<String, Object> lastEpoch() {
            return epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1);
        }

        /** "trial-0003 lr=0.01 depth=6": the id and the searched values, for legends. */
        public String label() {
            StringBuilder sb = new StringBuilder(id);
            searched.forEach((k, v) -> sb.append(' ').append(k).append('=').append(LeaderboardFormat.value(v)));
            return sb.toString();
        }
    }

    /**
     * Reads the sweep's files.
     *
     * @throws IllegalArgumentException if {@code logs/<sweep>} holds no sweep (no trials directory and no journal)
     */
    public static SweepResults read(Path logsRoot, String sweep) {
        SweepPaths paths = SweepPaths.of(sweep, logsRoot, logsRoot);
        Path trialsDir = paths.logDir().resolve("trials");
        if (!Files.isDirectory(trialsDir) && !Files.exists(paths.journal())) {
            throw new IllegalArgumentException("no sweep '" + sweep + "' in " + logsRoot.toAbsolutePath()
                + " (expected " + trialsDir + ")");
        }
        List<List<String>> board = readCsv(paths.leaderboardCsv());
        Map<String, String[]> ranks = new LinkedHashMap<>();
        for (int i = 1; i < board.size(); i++) {
            List<String> row = board.get(i);
            if (row.size() > 2) {
                ranks.put(row.get(1), new String[] {row.get(0), row.get(2)});
            }
        }
        List<TrialResults> trials = new ArrayList<>();
        if (Files.isDirectory(trialsDir)) {
            try (Stream<Path> dirs = Files.list(trialsDir)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    String id = dir.getFileName().toString();
                    String[] rank = ranks.getOrDefault(id, new String[] {"0", ""});
                    Map<String, Object> info = readJson(dir.resolve("trial.json"));
                    Path model = paths.trialModel(id);
                    trials.add(new TrialResults(id, parseInt(rank[0]), rank[1], map(info.get("params")),
                        map(info.get("searched")), readLines(paths.trialMetrics(id), true),
                        readLines(paths.trialDiagnostics(id), false), Files.exists(model) ? model : null));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + trialsDir, e);
            }
        }
        trials.sort(Comparator.comparingInt((TrialResults t) -> t.rank() == 0 ? Integer.MAX_VALUE : t.rank())
            .thenComparing(TrialResults::id));
        return new SweepResults(sweep, paths, List.copyOf(trials), board, readJson(paths.provenance()));
    }

    /**
     * This sweep as of each trial's best epoch by the sweep's objective (the leaderboard's {@code
     * best_epoch}): the epochs after it are left out, so {@link TrialResults#lastEpoch()} is that
     * epoch. A trial without a best epoch in the leaderboard, or whose records lack it, keeps all.
     */
    public SweepResults atBestEpochs() {
        int column = leaderboard.isEmpty() ? -1 : leaderboard.get(0).indexOf("best_epoch");
        Map<String, Integer> best = new LinkedHashMap<>();
        for (int i = 1; column >= 0 && i < leaderboard.size(); i++) {
            List<String> row = leaderboard.get(i);
            if (row.size() > column && row.size() > 1) {
                best.put(row.get(1), parseInt(row.get(column)));
            }
        }
        List<TrialResults> cut = new ArrayList<>();
        for (TrialResults t : trials) {
            int b = best.getOrDefault(t.id(), 0);
            List<Map<String, Object>> upTo = t.epochs().stream().filter(e -> number(e.get("epoch")) <= b).toList();
            boolean found = upTo.stream().anyMatch(e -> number(e.get("epoch")) == b);
            cut.add(new TrialResults(t.id(), t.rank(), t.status(), t.params(), t.searched(), found ? upTo : t.epochs(),
                t.diagnostics(), t.model()));
        }
        return new SweepResults(sweep, paths, List.copyOf(cut), leaderboard, provenance);
    }

    /** The trials that have at least one finished epoch. */
    public List<TrialResults> withEpochs() {
        return trials.stream().filter(t -> !t.epochs().isEmpty()).toList();
    }

    static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, Object> readJson(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** metrics.jsonl lines are flattened: their {@code metrics} map is merged into the line. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> readLines(Path file, boolean flattenMetrics) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        try (Stream<String> text = Files.lines(file)) {
            for (String line : text.toList()) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> record;
                try {
                    record = MAPPER.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
                } catch (IOException torn) {
                    continue;
                }
                if (flattenMetrics && record.get("metrics") instanceof Map<?, ?> metrics) {
                    record.putAll((Map<String, Object>) metrics);
                }
                lines.add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return List.copyOf(lines);
    }

    /** A small CSV reader for leaderboard.csv: quoted cells may hold commas and doubled quotes. */
    static List<List<String>> readCsv(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<List<String>> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isEmpty()) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                StringBuilder cell = new StringBuilder();
                boolean quoted = false;
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (quoted) {
                        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            cell.append('"');
                            i++;
                        } else if (c == '"') {
                            quoted = false;
                        } else {
                            cell.append(c);
                        }
                    } else if (c == '"') {
                        quoted = true;
                    } else if (c == ',') {
                        cells.add(cell.toString());
                        cell.setLength(0);
                    } else {
                        cell.append(c);
                    }
                }
                cells.add(cell.toString());
                rows.add(List.copyOf(cells));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return List.copyOf(rows);
    }
}
