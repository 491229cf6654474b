package dev.hpsweep.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code search} section: how trials are chosen and over which parameters.
 *
 * @param strategy          how trials are chosen
 * @param samples           number of trials for {@link Strategy#RANDOM}; 0 otherwise
 * @param entries           the {@code params} entries in file order, at least one
 * @param maxTrials         at most this many trials start (any strategy); 0 means no cap; for
 *                          {@link Strategy#TPE} it is the sweep's length unless the time budget ends it first
 * @param timeBudgetSeconds no new trial starts once the sweep has run this long (running ones
 *                          finish); 0 means no budget
 * @param startupTrials     for {@link Strategy#TPE}: trials drawn at random (as {@link Strategy#RANDOM}
 *                          would) before the estimator proposes; 0 for the other strategies
 */
public record SearchSpec(Strategy strategy, int samples, List<Entry> entries, int maxTrials,
                         long timeBudgetSeconds, int startupTrials) {

    public enum Strategy {
        /** Every combination of the entries' values. */
        GRID,
        /** {@code samples} independent draws from the entries' distributions. */
        RANDOM,
        /**
         * A tree-structured Parzen estimator: {@code startupTrials} random draws, then each further
         * trial proposed from the results of the trials before it.
         */
        TPE
    }

    /** A grid or random search without a trial cap or time budget. */
    public SearchSpec(Strategy strategy, int samples, List<Entry> entries) {
        this(strategy, samples, entries, 0, 0, 0);
    }

    /** One item of {@code params}: a parameter with its distribution, or a zip group. */
    public sealed interface Entry permits Param, Zip {
        /** The parameter names this entry sets, in file order. */
        List<String> names();
    }

    /** {@code {lr: [0.1, 0.01]}}, {@code {lr: {loguniform: [1e-5, 1]}}}, ... */
    public record Param(String name, Distribution distribution) implements Entry {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(distribution, "distribution");
        }

        @Override
        public List<String> names() {
            return List.of(name);
        }
    }

    /**
     * {@code {zip: {depth: [1, 2], width: [16, 32]}}}: the i-th values of each list go together, so
     * this entry contributes {@code tuples.size()} alternatives, not a product.
     *
     * @param names  the zipped parameters, in file order
     * @param tuples one list per alternative, its values in {@code names} order
     */
    public record Zip(List<String> names, List<List<Object>> tuples) implements Entry {
        public Zip {
            names = List.copyOf(names);
            List<List<Object>> copy = new ArrayList<>();
            for (List<Object> tuple : tuples) {
                if (tuple.size() != names.size()) {
                    throw new IllegalArgumentException("each zip tuple needs " + names.size() + " values, but got "
                            + tuple.size());
                }
                copy.add(List.copyOf(tuple));
            }
            tuples = List.copyOf(copy);
            if (names.isEmpty() || tuples.isEmpty()) {
                throw new IllegalArgumentException("a zip needs at least one parameter and one tuple");
            }
        }
    }

    public SearchSpec {
        Objects.requireNonNull(strategy, "strategy");
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one entry");
        }
        if (strategy == Strategy.RANDOM ? samples < 1 : samples != 0) {
            throw new IllegalArgumentException("samples must be >= 1 for random and 0 otherwise, but got " + samples);
        }
        if (maxTrials < 0 || timeBudgetSeconds < 0) {
            throw new IllegalArgumentException("maxTrials >= 0 and timeBudgetSeconds >= 0 must hold, but got maxTrials="
                    + maxTrials + ", timeBudgetSeconds=" + timeBudgetSeconds);
        }
        if (strategy == Strategy.TPE ? startupTrials < 1 : startupTrials != 0) {
            throw new IllegalArgumentException("startupTrials must be >= 1 for tpe and 0 otherwise, but got "
                    + startupTrials);
        }
        if (strategy == Strategy.TPE && maxTrials == 0 && timeBudgetSeconds == 0) {
            throw new IllegalArgumentException("tpe needs maxTrials or timeBudgetSeconds to end, but got neither");
        }
        if (strategy == Strategy.GRID) {
            for (Entry e : entries) {
                if (e instanceof Param p && !(p.distribution() instanceof Distribution.Choice)) {
                    throw new IllegalArgumentException("grid needs finite lists, but '" + p.name() + "' has "
                            + p.distribution());
                }
            }
        }
    }
}
