package dev.hpsweep.train;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.data.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A data set's three splits as ND4J arrays, made once per sweep and shared by its trials: trainers
 * only read them (mini-batches are gathered into new arrays, evaluation takes views), so one copy
 * serves every trial instead of one each.
 *
 * @param shape   the shape of one example, as the network sees it (after any input encoding)
 * @param classes number of classes
 */
public record Nd4jSplits(SplitArrays train, SplitArrays validation, SplitArrays test, Shape shape, int classes) {

    /** The splits of {@code data} as they are. */
    public static Nd4jSplits of(Dataset data) {
        return of(data.train(), data.validation(), data.test(), data.shape(), data.numClasses());
    }

    public static Nd4jSplits of(Dataset.Split train, Dataset.Split validation, Dataset.Split test, Shape shape,
                                int classes) {
        Nd4jRuntime.install();
        try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
            return new Nd4jSplits(SplitArrays.of(train, classes), SplitArrays.of(validation, classes),
                SplitArrays.of(test, classes), shape, classes);
        }
    }

    /**
     * One sweep's ND4J copies, by what was done to the raw data to make them (e.g. an input
     * encoding): trials asking for the same key share one copy, built by the first of them.
     */
    public static final class Cache {
        private final Map<String, Nd4jSplits> byKey = new ConcurrentHashMap<>();

        public Nd4jSplits get(String key, Function<String, Nd4jSplits> build) {
            return byKey.computeIfAbsent(key, build);
        }

        /** Copies held, for tests of the sharing. */
        public int size() {
            return byKey.size();
        }
    }
}
