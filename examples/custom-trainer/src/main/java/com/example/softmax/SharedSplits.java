package com.example.softmax;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;

/**
 * The sweep's splits as flat double arrays, scaled or not, built at most once each and shared
 * (read-only) by every trainer of the sweep. Thread-safe: trials are created on several threads.
 */
final class SharedSplits {
    /** One encoding of the three splits. */
    record Encoded(Scaling scaling, int features, int classes, Split train, Split validation, Split test) {
    }

    /** Rows flattened row-major ({@code x[i * features + j]}) and their labels. */
    record Split(double[] x, int[] y) {
        int size() {
            return y.length;
        }
    }

    private final Dataset data;
    private Encoded raw;
    private Encoded standardized;

    SharedSplits(Dataset data) {
        if (data.kind() != DataKind.TABULAR) {
            throw new IllegalArgumentException("softmax-regression trains on tabular data, but got " + data.shape());
        }
        if (data.train().size() == 0) {
            throw new IllegalArgumentException("softmax-regression needs a non-empty training split");
        }
        this.data = data;
    }

    synchronized Encoded get(boolean standardize) {
        if (standardize) {
            if (standardized == null) {
                standardized = encode(Scaling.fit(data.train().features(), data.numFeatures()));
            }
            return standardized;
        }
        if (raw == null) {
            raw = encode(Scaling.identity(data.numFeatures()));
        }
        return raw;
    }

    private Encoded encode(Scaling scaling) {
        return new Encoded(scaling, data.numFeatures(), data.numClasses(), split(scaling, data.train()),
            split(scaling, data.validation()), split(scaling, data.test()));
    }

    private static Split split(Scaling scaling, Dataset.Split s) {
        return new Split(scaling.apply(s.features()), s.labels());
    }
}
