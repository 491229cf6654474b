package dev.hpsweep.report;

import dev.hpsweep.report.SweepResults.TrialResults;
import dev.hpsweep.space.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compared sweeps that are the same sweep run with other seeds, summarised over their seeds: the
 * same data set, the same model, the same objective and searched parameters, the same trials'
 * parameters, but different {@code seed}s. A model that starts from another sweep's trained model
 * may start from another sweep, if that one is in turn the same sweep with another seed (each
 * seed's fine-tune starts from its own pre-training). What {@code tools/study/part3.sh --seed N}
 * makes, and what a user runs to see whether a difference between baselines is larger than the
 * seed's. Random and TPE searches draw other values under another seed, so their runs do not group.
 *
 * <p>Two tables: each group's searched values with their last epoch's validation and test accuracy
 * over the seeds (mean, sample standard deviation), and each group's best trial (its sweep's rank
 * 1, picked by the sweep's objective, as a user would pick it) over the seeds, with how often that
 * pick was the best and the worst of the groups, in the seeds every group with a pick ran (a tie
 * counts for each tied group). Values that are not finite (no test split) are left out.
 */
public final class SeedSummary {
    /**
     * One group: {@code baseline} is the first of its sweeps' names as given; {@code leftOut}, sweeps
     * that would have joined it with a seed it already has.
     */
    public record Group(String baseline, List<SweepResults> sweeps, List<SweepResults> leftOut) {
        public List<Object> seeds() {
            return sweeps.stream().map(s -> s.provenance().get("seed")).toList();
        }
    }

    private final List<Group> groups;

    /** Groups of two or more of {@code sweeps} (in the order given) that differ only in their seeds. */
    public SeedSummary(List<SweepResults> sweeps) {
        Map<String, List<SweepResults>> byKey = new LinkedHashMap<>();
        for (SweepResults s : sweeps) {
            byKey.computeIfAbsent(key(s), k -> new ArrayList<>()).add(s);
        }
        List<Group> found = new ArrayList<>();
        for (List<SweepResults> members : byKey.values()) {
            Set<Object> seeds = new LinkedHashSet<>();
            List<SweepResults> kept = new ArrayList<>();
            List<SweepResults> again = new ArrayList<>();
            for (SweepResults s : members) {
                (seeds.add(s.provenance().get("seed")) ? kept : again).add(s);
            }
            if (kept.size() >= 2) {
                found.add(new Group(kept.get(0).sweep(), List.copyOf(kept), List.copyOf(again)));
            }
        }
        this.groups = List.copyOf(found);
    }

    public List<Group> groups() {
        return groups;
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /**
     * What two runs of one sweep with different seeds share: the data set, the model, the
     * leaderboard's columns (the objective's metric and the searched parameters) and every trial's
     * parameters. A model's start from another sweep counts by that sweep's own key, so each
     * seed's fine-tune may start from its own pre-training. A sweep without a recorded seed or
     * without trials gets a key of its own.
     */
    static String key(SweepResults s) {
        return key(s, 0);
    }

    private static String key(SweepResults s, int depth) {
        Map<String, Object> p = s.provenance();
        if (p.get("seed") == null || s.trials().isEmpty()) {
            return "\u0000" + s.sweep();
        }
        Object model = p.get("model");
        if (model instanceof Map<?, ?> m && m.get("init") instanceof Map<?, ?> init) {
            Map<String, Object> copy = sorted(m);
            Map<String, Object> start = sorted(init);
            start.put("sweep", startKey(s, String.valueOf(init.get("sweep")), depth));
            copy.put("init", start);
            model = copy;
        } else if (model instanceof Map<?, ?> m) {
            model = sorted(m);
        }
        List<String> trials = s.trials().stream().map(t -> sorted(t.params()).toString()).sorted().toList();
        Object columns = s.leaderboard().isEmpty() ? List.of() : s.leaderboard().get(0);
        return p.get("dataset") + "|" + model + "|" + columns + "|" + trials;
    }

    /** The key of the sweep a model starts from, read beside this one; its name where it cannot be read. */
    private static String startKey(SweepResults s, String start, int depth) {
        if (depth < 4) {
            try {
                String k = key(SweepResults.read(s.paths().logDir().getParent(), start), depth + 1);
                if (!k.startsWith("\u0000")) {
                    return "{" + k + "}";
                }
            } catch (RuntimeException e) {
                // not readable here: compared by its name
            }
        }
        return start;
    }

    /** A map's entries in key order; null values kept. */
    private static Map<String, Object> sorted(Map<?, ?> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> inner ? sorted(inner) : v));
        return out;
    }

    /** Searched values of a group's trials, in the first sweep's leaderboard order. */
    private static List<Map<String, Object>> searchedValues(Group g) {
        List<Map<String, Object>> values = new ArrayList<>();
        for (TrialResults t : g.sweeps().get(0).trials()) {
            if (!values.contains(t.searched())) {
                values.add(t.searched());
            }
        }
        return values;
    }

    private List<String> searchedNames() {
        Set<String> names = new LinkedHashSet<>();
        groups.forEach(g -> searchedValues(g).forEach(v -> names.addAll(v.keySet())));
        return List.copyOf(names);
    }

    /** Header of the per-values table. */
    public List<String> valuesHeader() {
        List<String> h = new ArrayList<>(List.of("baseline"));
        h.addAll(searchedNames());
        h.addAll(List.of("seeds", "val_acc", "test_acc", "test_acc by seed (in the groups' order)"));
        return h;
    }

    /** One row per group and searched values: the last epoch's accuracies over the seeds that ran them. */
    public List<List<String>> valuesRows() {
        List<List<String>> rows = new ArrayList<>();
        List<String> names = searchedNames();
        for (Group g : groups) {
            for (Map<String, Object> values : searchedValues(g)) {
                List<Double> val = new ArrayList<>();
                List<Double> test = new ArrayList<>();
                List<String> bySeed = new ArrayList<>();
                for (SweepResults s : g.sweeps()) {
                    TrialResults t = s.withEpochs().stream().filter(x -> x.searched().equals(values)).findFirst()
                        .orElse(null);
                    double v = t == null ? Double.NaN : SweepResults.number(t.lastEpoch().get(Metrics.VAL_ACCURACY));
                    double a = t == null ? Double.NaN : SweepResults.number(t.lastEpoch().get(Metrics.TEST_ACCURACY));
                    if (Double.isFinite(v)) {
                        val.add(v);
                    }
                    if (Double.isFinite(a)) {
                        test.add(a);
                    }
                    bySeed.add(Double.isFinite(a) ? LeaderboardFormat.num(a) : "-");
                }
                List<String> row = new ArrayList<>(List.of(g.baseline()));
                for (String name : names) {
                    Object v = values.get(name);
                    row.add(v == null ? "-" : LeaderboardFormat.value(v));
                }
                row.add(Integer.toString(test.size()));
                row.add(meanSd(val));
                row.add(meanSd(test));
                row.add(String.join(" ", bySeed));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Header of the picks table. */
    public List<String> picksHeader() {
        return List.of("baseline", "seeds", "test_acc of its best trial", "min", "max", "best of the baselines",
            "worst of the baselines");
    }

    /**
     * One row per group: the test accuracy of each seed's best trial (rank 1) over the seeds, and
     * in how many of the seeds all groups ran that pick was the highest and the lowest.
     */
    public List<List<String>> picksRows() {
        Map<Group, Map<Object, Double>> picks = new LinkedHashMap<>();
        for (Group g : groups) {
            Map<Object, Double> bySeed = new LinkedHashMap<>();
            for (SweepResults s : g.sweeps()) {
                s.withEpochs().stream().filter(t -> t.rank() == 1).findFirst()
                    .map(t -> SweepResults.number(t.lastEpoch().get(Metrics.TEST_ACCURACY))).filter(Double::isFinite)
                    .ifPresent(v -> bySeed.put(s.provenance().get("seed"), v));
            }
            picks.put(g, bySeed);
        }
        // the seeds every group with a pick ran
        List<Map<Object, Double>> withPicks = picks.values().stream().filter(m -> !m.isEmpty()).toList();
        Set<Object> shared = new LinkedHashSet<>(withPicks.isEmpty() ? Set.of() : withPicks.get(0).keySet());
        withPicks.forEach(m -> shared.retainAll(m.keySet()));
        Map<Group, int[]> counts = new LinkedHashMap<>();
        groups.forEach(g -> counts.put(g, new int[2]));
        boolean ranked = withPicks.size() >= 2;
        if (ranked) {
            for (Object seed : shared) {
                double hi = Double.NEGATIVE_INFINITY;
                double lo = Double.POSITIVE_INFINITY;
                for (Map<Object, Double> m : withPicks) {
                    hi = Math.max(hi, m.get(seed));
                    lo = Math.min(lo, m.get(seed));
                }
                for (Map.Entry<Group, Map<Object, Double>> e : picks.entrySet()) {
                    if (e.getValue().isEmpty()) {
                        continue;
                    }
                    double v = e.getValue().get(seed);
                    counts.get(e.getKey())[0] += v == hi ? 1 : 0;
                    counts.get(e.getKey())[1] += v == lo ? 1 : 0;
                }
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Group, Map<Object, Double>> e : picks.entrySet()) {
            List<Double> v = List.copyOf(e.getValue().values());
            int[] c = counts.get(e.getKey());
            boolean counted = ranked && !v.isEmpty();
            String of = " of " + shared.size();
            rows.add(List.of(e.getKey().baseline(), Integer.toString(v.size()), meanSd(v),
                v.isEmpty() ? "-" : LeaderboardFormat.num(v.stream().mapToDouble(Double::doubleValue).min().orElseThrow()),
                v.isEmpty() ? "-" : LeaderboardFormat.num(v.stream().mapToDouble(Double::doubleValue).max().orElseThrow()),
                counted ? c[0] + of : "-", counted ? c[1] + of : "-"));
        }
        return rows;
    }

    /** "0.8123 ± 0.0141" (mean and sample standard deviation); one value alone; "-" for none. */
    static String meanSd(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (values.size() == 1) {
            return LeaderboardFormat.num(mean);
        }
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return String.format(Locale.ROOT, "%s ± %s", LeaderboardFormat.num(mean),
            LeaderboardFormat.num(Math.sqrt(ss / (values.size() - 1))));
    }

    /**
     * The groups' sweeps and seeds, one line each: "study-3-xgboost: seeds 42, 1, 2 (study-3-xgboost,
     * ...)", and the sweeps left out for a seed the group already had.
     */
    public List<String> groupLines() {
        return groups.stream().map(g -> g.baseline() + ": seeds " + String.join(", ",
            g.seeds().stream().map(String::valueOf).toList()) + " (" + String.join(", ",
            g.sweeps().stream().map(SweepResults::sweep).toList()) + ")" + (g.leftOut().isEmpty() ? ""
            : "; left out, for a seed it already has: " + String.join(", ",
            g.leftOut().stream().map(SweepResults::sweep).toList()))).toList();
    }
}
