package dev.hpsweep.train;

import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param metrics    named values, at least the names in {@link dev.hpsweep.space.Metrics};
 *                   iteration order is kept
 * @param iterations optimizer steps (mini-batches) in the epoch
 * @param samples    training samples seen in the epoch
 * @param seconds    wall time of the epoch, training and evaluation
 */
public record EpochResult(Map<String, Double> metrics, int iterations, long samples, double seconds) {
    public EpochResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        if (iterations < 0 || samples < 0 || seconds < 0) {
            throw new IllegalArgumentException("iterations, samples and seconds must be >= 0, but got "
                + iterations + ", " + samples + ", " + seconds);
        }
    }

    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : 0.0;
    }
}
