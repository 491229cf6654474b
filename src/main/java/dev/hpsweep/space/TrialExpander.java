package dev.hpsweep.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link SearchSpace} into its ordered list of trials. The order, and so every trial id,
 * depends only on the file: resuming a sweep expands it again and must find the same trials.
 */
public final class TrialExpander {

    private TrialExpander() {
    }

    /**
     * Grid: the cartesian product of the entries in file order, the last entry varying fastest
     * (like Python's {@code itertools.product}); a zip group is one entry whose alternatives are its
     * tuples. Random: {@code samples} trials, each drawing every entry in file order from one
     * {@link SplitMix64} stream seeded with the sweep seed; a zip group draws one of its tuples.
     * TPE: only its {@code startupTrials} random draws (the same as random search's first ones);
     * the trials after them are proposed while the sweep runs. {@code maxTrials}, where set, keeps
     * the first that many.
     */
    public static List<TrialSpec> expand(SearchSpace space) {
        SearchSpec search = space.search();
        List<Map<String, Object>> combinations = switch (search.strategy()) {
            case GRID -> grid(search.entries());
            case RANDOM -> random(search.entries(), search.samples(), space.seed());
            case TPE -> random(search.entries(), search.startupTrials(), space.seed());
        };
        if (search.maxTrials() > 0 && combinations.size() > search.maxTrials()) {
            combinations = combinations.subList(0, search.maxTrials());
        }
        List<TrialSpec> trials = new ArrayList<>(combinations.size());
        for (Map<String, Object> searched : combinations) {
            trials.add(trial(space, trials.size(), searched));
        }
        return List.copyOf(trials);
    }

    /** The trial at 0-based {@code index} that searches {@code searched}; the other parameters as the file sets them. */
    public static TrialSpec trial(SearchSpace space, int index, Map<String, Object> searched) {
        return new TrialSpec(TrialSpec.idOf(index), index, params(space, searched), searched);
    }

    /** Catalogue order; searched values win over fixed ones, fixed over defaults. */
    private static Map<String, Object> params(SearchSpace space, Map<String, Object> searched) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (ParamDef def : ModelCatalogue.installed().params(space.modelType())) {
            String name = def.name();
            Object value;
            if (searched.containsKey(name)) {
                value = searched.get(name);
            } else if (space.fixed().containsKey(name)) {
                value = space.fixed().get(name);
            } else if (def.equals(ModelCatalogue.EPOCHS)) {
                value = space.epochs();
            } else {
                value = def.defaultValue();
            }
            params.put(name, value);
        }
        return params;
    }

    private static List<Map<String, Object>> grid(List<SearchSpec.Entry> entries) {
        List<List<Map<String, Object>>> alternatives = entries.stream().map(TrialExpander::alternatives).toList();
        int total = 1;
        for (List<Map<String, Object>> a : alternatives) {
            total = Math.multiplyExact(total, a.size());
        }
        List<Map<String, Object>> combinations = new ArrayList<>(total);
        int[] position = new int[alternatives.size()];
        for (int n = 0; n < total; n++) {
            Map<String, Object> combination = new LinkedHashMap<>();
            for (int e = 0; e < position.length; e++) {
                combination.putAll(alternatives.get(e).get(position[e]));
            }
            combinations.add(combination);
            // Odometer step: the last entry turns fastest and carries into the ones before it.
            for (int e = position.length - 1; e >= 0; e--) {
                if (++position[e] < alternatives.get(e).size()) {
                    break;
                }
                position[e] = 0;
            }
        }
        return combinations;
    }

    /** The entry's possible settings, each a name -> value map in file order. */
    private static List<Map<String, Object>> alternatives(SearchSpec.Entry entry) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (entry instanceof SearchSpec.Zip zip) {
            for (List<Object> tuple : zip.tuples()) {
                result.add(zipped(zip, tuple));
            }
        } else if (entry instanceof SearchSpec.Param p && p.distribution() instanceof Distribution.Choice c) {
            for (Object value : c.values()) {
                result.add(Map.of(p.name(), value));
            }
        } else {
            throw new IllegalArgumentException("grid search needs finite values, but got " + entry);
        }
        return result;
    }

    private static Map<String, Object> zipped(SearchSpec.Zip zip, List<Object> tuple) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < zip.names().size(); i++) {
            values.put(zip.names().get(i), tuple.get(i));
        }
        return values;
    }

    private static List<Map<String, Object>> random(List<SearchSpec.Entry> entries, int samples, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        List<Map<String, Object>> draws = new ArrayList<>(samples);
        for (int n = 0; n < samples; n++) {
            Map<String, Object> draw = new LinkedHashMap<>();
            for (SearchSpec.Entry entry : entries) {
                if (entry instanceof SearchSpec.Zip zip) {
                    draw.putAll(zipped(zip, zip.tuples().get(rng.nextInt(zip.tuples().size()))));
                } else {
                    SearchSpec.Param p = (SearchSpec.Param) entry;
                    draw.put(p.name(), sample(p.distribution(), rng));
                }
            }
            draws.add(draw);
        }
        return draws;
    }

    /** One draw from {@code distribution}, as random search makes it. */
    public static Object sample(Distribution distribution, SplitMix64 rng) {
        if (distribution instanceof Distribution.Choice c) {
            return c.values().get(rng.nextInt(c.values().size()));
        } else if (distribution instanceof Distribution.Uniform u) {
            return between(u.low() + (u.high() - u.low()) * rng.nextDouble(), u.low(), u.high());
        } else if (distribution instanceof Distribution.LogUniform l) {
            // StrictMath, not Math: Math.log/exp may differ by an ulp between JVMs and CPUs, and a
            // resumed sweep on another machine must draw bit-identical values.
            double logLow = StrictMath.log(l.low());
            double value = StrictMath.exp(logLow + (StrictMath.log(l.high()) - logLow) * rng.nextDouble());
            return between(value, l.low(), l.high());
        } else if (distribution instanceof Distribution.IntUniform i) {
            return (int) (i.low() + rng.nextLong((long) i.high() - i.low() + 1));
        }
        throw new IllegalArgumentException("unknown distribution " + distribution);
    }

    /** Rounding in the affine and exp/log maps can step just outside [low, high]; pull it back. */
    private static double between(double value, double low, double high) {
        return Math.max(low, Math.min(high, value));
    }
}
