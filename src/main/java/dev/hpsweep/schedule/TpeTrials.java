package dev.hpsweep.schedule;

import dev.hpsweep.space.Distribution;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpec;
import dev.hpsweep.space.SplitMix64;
import dev.hpsweep.space.TrialExpander;
import dev.hpsweep.space.TrialSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tree-structured Parzen estimator search (Bergstra et al. 2011; the univariate form of Optuna's
 * default sampler). The first {@code startupTrials} trials are random draws. After them, each
 * proposal splits the trials with a result into a good group (the best gamma(n) = min(ceil(n / 10),
 * 25) of the n, by their best objective over their epochs, so a stopped trial counts with what it
 * reached) and a bad group (the rest); running trials join the bad group with no value (Optuna's
 * "constant liar"), which steers concurrent proposals away from points already being tried. For
 * each parameter independently it fits a Parzen estimator l to the good group and g to the bad
 * one, draws 24 candidates from l and keeps the one with the largest l/g. Real parameters are
 * modelled on [low, high] (loguniform on the log scale), integers on [low - 0.5, high + 0.5] and
 * rounded, choices and zip groups as categories (counts plus a uniform prior).
 *
 * <p>Replayable: proposal k draws from a generator seeded by (sweep seed, k), and depends only on
 * the set of trials that had a result or were running when it was asked for, taken in trial
 * order, not on the order their epochs arrived in.
 */
final class TpeTrials implements TrialSource {
    static final int CANDIDATES = 24;
    static final double PRIOR_WEIGHT = 1.0;

    private final SearchSpace space;
    private final List<TrialSpec> startup;
    private final int maxTrials;
    private final List<TrialSpec> handedOut = new ArrayList<>();
    private final Map<String, Double> best = new HashMap<>();
    private final Set<String> running = new HashSet<>();

    TpeTrials(SearchSpace space, List<TrialSpec> startup) {
        if (space.search().strategy() != SearchSpec.Strategy.TPE) {
            throw new IllegalArgumentException("strategy tpe must hold, but got " + space.search().strategy());
        }
        this.space = space;
        this.startup = List.copyOf(startup);
        this.maxTrials = space.search().maxTrials();
    }

    @Override
    public Optional<TrialSpec> next() {
        int k = handedOut.size();
        if (maxTrials > 0 && k >= maxTrials) {
            return Optional.empty();
        }
        TrialSpec trial = k < startup.size() ? startup.get(k) : TrialExpander.trial(space, k, propose(k));
        handedOut.add(trial);
        running.add(trial.id());
        return Optional.of(trial);
    }

    @Override
    public void handedOut(TrialSpec trial) {
        handedOut.add(trial);
        running.add(trial.id());
    }

    @Override
    public void onEpoch(String trial, int epoch, double objective) {
        if (Double.isNaN(objective)) {
            return;
        }
        best.merge(trial, objective, Math::max);
    }

    @Override
    public void onFinished(String trial) {
        running.remove(trial);
    }

    /** The searched values of trial {@code k}. */
    Map<String, Object> propose(int k) {
        SplitMix64 rng = new SplitMix64(mix(space.seed() ^ mix(0x7E5L + k)));
        List<TrialSpec> scored = new ArrayList<>();
        List<TrialSpec> liars = new ArrayList<>();
        for (TrialSpec t : handedOut) {
            if (running.contains(t.id())) {
                liars.add(t);
            } else if (best.containsKey(t.id())) {
                scored.add(t);
            }
        }
        List<SearchSpec.Entry> entries = space.search().entries();
        Map<String, Object> searched = new LinkedHashMap<>();
        if (scored.isEmpty()) {
            for (SearchSpec.Entry entry : entries) {
                searched.putAll(randomDraw(entry, rng));
            }
            return searched;
        }
        scored.sort(Comparator.comparingDouble((TrialSpec t) -> -best.get(t.id())).thenComparingInt(TrialSpec::index));
        int nGood = Math.min((scored.size() + 9) / 10, 25);
        List<TrialSpec> good = scored.subList(0, nGood);
        List<TrialSpec> bad = new ArrayList<>(scored.subList(nGood, scored.size()));
        bad.addAll(liars);
        bad.sort(Comparator.comparingInt(TrialSpec::index));
        for (SearchSpec.Entry entry : entries) {
            searched.putAll(sample(entry, good, bad, rng));
        }
        return searched;
    }

    private static Map<String, Object> randomDraw(SearchSpec.Entry entry, SplitMix64 rng) {
        if (entry instanceof SearchSpec.Zip zip) {
            return zipped(zip, rng.nextInt(zip.tuples().size()));
        }
        SearchSpec.Param p = (SearchSpec.Param) entry;
        return Map.of(p.name(), TrialExpander.sample(p.distribution(), rng));
    }

    private Map<String, Object> sample(SearchSpec.Entry entry, List<TrialSpec> good, List<TrialSpec> bad,
                                       SplitMix64 rng) {
        if (entry instanceof SearchSpec.Zip zip) {
            int c = categorical(zip.tuples().size(), categories(zip, good), categories(zip, bad), rng);
            return zipped(zip, c);
        }
        SearchSpec.Param p = (SearchSpec.Param) entry;
        Distribution d = p.distribution();
        if (d instanceof Distribution.Choice choice) {
            int c = categorical(choice.values().size(), indices(p.name(), choice, good), indices(p.name(), choice, bad), rng);
            return Map.of(p.name(), choice.values().get(c));
        }
        double low;
        double high;
        boolean log = d instanceof Distribution.LogUniform;
        boolean integer = d instanceof Distribution.IntUniform;
        if (d instanceof Distribution.Uniform u) {
            low = u.low();
            high = u.high();
        } else if (d instanceof Distribution.LogUniform l) {
            low = StrictMath.log(l.low());
            high = StrictMath.log(l.high());
        } else {
            Distribution.IntUniform i = (Distribution.IntUniform) d;
            low = i.low() - 0.5;
            high = i.high() + 0.5;
        }
        if (!(low < high)) {
            return Map.of(p.name(), TrialExpander.sample(d, rng));
        }
        ParzenEstimator l = new ParzenEstimator(points(p.name(), good, log), low, high);
        ParzenEstimator g = new ParzenEstimator(points(p.name(), bad, log), low, high);
        double bestX = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            double x = l.sample(rng);
            if (integer) {
                x = Math.max(low + 0.5, Math.min(high - 0.5, Math.rint(x)));
            }
            double score = integer ? l.logMass(x - 0.5, x + 0.5) - g.logMass(x - 0.5, x + 0.5)
                : l.logDensity(x) - g.logDensity(x);
            if (score > bestScore || Double.isNaN(bestX)) {
                bestScore = score;
                bestX = x;
            }
        }
        Object value;
        if (integer) {
            value = (int) bestX;
        } else if (log) {
            Distribution.LogUniform lu = (Distribution.LogUniform) d;
            value = Math.max(lu.low(), Math.min(lu.high(), StrictMath.exp(bestX)));
        } else {
            value = bestX;
        }
        return Map.of(p.name(), value);
    }

    /** Category counts plus the prior's uniform share; candidates come from the good counts, scored by good/bad. */
    private static int categorical(int n, List<Integer> good, List<Integer> bad, SplitMix64 rng) {
        double[] l = weights(n, good);
        double[] g = weights(n, bad);
        int bestC = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            double u = rng.nextDouble();
            int k = 0;
            double acc = l[0];
            while (u >= acc && k < n - 1) {
                acc += l[++k];
            }
            double score = StrictMath.log(l[k]) - StrictMath.log(g[k]);
            if (score > bestScore) {
                bestScore = score;
                bestC = k;
            }
        }
        return bestC;
    }

    private static double[] weights(int n, List<Integer> observed) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, PRIOR_WEIGHT / n);
        observed.forEach(c -> w[c] += 1);
        double total = PRIOR_WEIGHT + observed.size();
        for (int i = 0; i < n; i++) {
            w[i] /= total;
        }
        return w;
    }

    private static List<Integer> indices(String name, Distribution.Choice choice, List<TrialSpec> trials) {
        List<Integer> result = new ArrayList<>();
        for (TrialSpec t : trials) {
            int i = choice.values().indexOf(t.searched().get(name));
            if (i >= 0) {
                result.add(i);
            }
        }
        return result;
    }

    private static List<Integer> categories(SearchSpec.Zip zip, List<TrialSpec> trials) {
        List<Integer> result = new ArrayList<>();
        for (TrialSpec t : trials) {
            List<Object> tuple = zip.names().stream().map(n -> t.searched().get(n)).toList();
            int i = zip.tuples().indexOf(tuple);
            if (i >= 0) {
                result.add(i);
            }
        }
        return result;
    }

    private static double[] points(String name, List<TrialSpec> trials, boolean log) {
        return trials.stream().map(t -> t.searched().get(name)).filter(v -> v instanceof Number)
            .mapToDouble(v -> log ? StrictMath.log(((Number) v).doubleValue()) : ((Number) v).doubleValue()).toArray();
    }

    private static Map<String, Object> zipped(SearchSpec.Zip zip, int index) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < zip.names().size(); i++) {
            values.put(zip.names().get(i), zip.tuples().get(index).get(i));
        }
        return values;
    }

    /** SplitMix64's finaliser: spreads (seed, k) over all 64 bits so neighbouring proposals are unrelated. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
