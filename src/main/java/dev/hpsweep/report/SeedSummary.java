package dev.hpsweep.report;

import dev.hpsweep.report.SweepResults.TrialResults;
import dev.hpsweep.space.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compared sweeps that are the same sweep run with other seeds, summarised over their seeds: the
 * same data set, the same model (a pre-trained start may come from another sweep, itself a seed's
 * run) and the same trials' parameters, but different {@code seed}s. What {@code
 * tools/study/part3.sh --seed N} makes, and what a user runs to see whether a difference between
 * baselines is larger than the seed's.
 *
 * <p>Two tables: each group's searched values with their last epoch's validation and test accuracy
 * over the seeds (mean, sample standard deviation), and each group's best trial (its sweep's rank
 * 1, picked by the sweep's objective, as a user would pick it) over the seeds, with how often that
 * pick was the best and the worst of the groups, seed by seed.
 */
public final class SeedSummary {
    /** One group: {@code baseline} is the first of its sweeps' names as given. */
    public record Group(String baseline, List<SweepResults> sweeps) {
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
            members.forEach(s -> seeds.add(s.provenance().get("seed")));
            if (members.size() >= 2 && seeds.size() == members.size()) {
                found.add(new Group(members.get(0).sweep(), List.copyOf(members)));
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
     * What two runs of one sweep with different seeds share: the data set's name, the model with
     * its start's sweep left out (each seed starts from its own pre-training), and every trial's
     * parameters. A sweep without a recorded seed gets a key of its own.
     */
    static String key(SweepResults s) {
        Map<String, Object> p = s.provenance();
        if (p.get("seed") == null) {
            return "\u0000" + s.sweep();
        }
        Object model = p.get("model");
        if (model instanceof Map<?, ?> m && m.get("init") instanceof Map<?, ?> init) {
            Map<Object, Object> copy = new TreeMap<>(Map.copyOf(m));
            Map<Object, Object> start = new TreeMap<>(Map.copyOf(init));
            start.remove("sweep");
            copy.put("init", start);
            model = copy;
        }
        List<String> trials = s.trials().stream().map(t -> new TreeMap<>(t.params()).toString()).sorted().toList();
        return Objects.toString(p.get("dataset")) + "|" + Objects.toString(sorted(model)) + "|" + trials;
    }

    private static Object sorted(Object o) {
        return o instanceof Map<?, ?> m ? new TreeMap<>(Map.copyOf(m)) : o;
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
        h.addAll(List.of("seeds", "val_acc", "test_acc", "test_acc by seed"));
        return h;
    }

    /** One row per group and searched values: the last epoch's accuracies over the seeds that ran them. */
    public List<List<String>> valuesRows() {
        List<List<String>> rows = new ArrayList<>();
        for (Group g : groups) {
            for (Map<String, Object> values : searchedValues(g)) {
                List<Double> val = new ArrayList<>();
                List<Double> test = new ArrayList<>();
                for (SweepResults s : g.sweeps()) {
                    s.withEpochs().stream().filter(t -> t.searched().equals(values)).findFirst().ifPresent(t -> {
                        val.add(SweepResults.number(t.lastEpoch().get(Metrics.VAL_ACCURACY)));
                        test.add(SweepResults.number(t.lastEpoch().get(Metrics.TEST_ACCURACY)));
                    });
                }
                List<String> row = new ArrayList<>(List.of(g.baseline()));
                for (String name : searchedNames()) {
                    Object v = values.get(name);
                    row.add(v == null ? "-" : LeaderboardFormat.value(v));
                }
                row.add(Integer.toString(test.size()));
                row.add(meanSd(val));
                row.add(meanSd(test));
                row.add(String.join(" ", test.stream().map(LeaderboardFormat::num).toList()));
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
                s.withEpochs().stream().filter(t -> t.rank() == 1).findFirst().ifPresent(t ->
                    bySeed.put(s.provenance().get("seed"), SweepResults.number(t.lastEpoch().get(Metrics.TEST_ACCURACY))));
            }
            picks.put(g, bySeed);
        }
        Set<Object> shared = new LinkedHashSet<>(picks.isEmpty() ? Set.of() : picks.values().iterator().next().keySet());
        picks.values().forEach(m -> shared.retainAll(m.keySet()));
        Map<Group, int[]> counts = new LinkedHashMap<>();
        groups.forEach(g -> counts.put(g, new int[2]));
        if (groups.size() >= 2) {
            for (Object seed : shared) {
                double hi = Double.NEGATIVE_INFINITY;
                double lo = Double.POSITIVE_INFINITY;
                for (Map<Object, Double> m : picks.values()) {
                    hi = Math.max(hi, m.get(seed));
                    lo = Math.min(lo, m.get(seed));
                }
                for (Map.Entry<Group, Map<Object, Double>> e : picks.entrySet()) {
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
            String of = groups.size() >= 2 ? " of " + shared.size() : "";
            rows.add(List.of(e.getKey().baseline(), Integer.toString(v.size()), meanSd(v),
                LeaderboardFormat.num(v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)),
                LeaderboardFormat.num(v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)),
                groups.size() >= 2 ? c[0] + of : "-", groups.size() >= 2 ? c[1] + of : "-"));
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

    /** The groups' sweeps and seeds, one line each: "study-3-xgboost: seeds 42, 1, 2 (study-3-xgboost, ...)". */
    public List<String> groupLines() {
        return groups.stream().map(g -> g.baseline() + ": seeds " + String.join(", ",
            g.seeds().stream().map(String::valueOf).toList()) + " (" + String.join(", ",
            g.sweeps().stream().map(SweepResults::sweep).toList()) + ")").toList();
    }
}
