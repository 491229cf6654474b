package dev.hpsweep.train;

import java.util.List;
import java.util.Map;

/**
 * What one epoch produced.
 *
 * @param metrics     named values, at least the names in {@link dev.hpsweep.space.Metrics};
 *                    iteration order is kept
 * @param iterations  optimizer steps (mini-batches) in the epoch
 * @param samples     training samples seen in the epoch
 * @param seconds     wall time of the epoch, training and evaluation
 * @param diagnostics named series the trial asked to record (e.g. {@code batch_loss}: one value per
 *                    batch; {@code grad_sq_norm_layer_0}: one value, the epoch's mean); empty if none
 */
public record EpochResult(Map<String, Double> metrics, int iterations, long samples, double seconds,
                          Map<String, List<Double>> diagnostics) {
    public EpochResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        diagnostics = copy(diagnostics);
        if (iterations < 0 || samples < 0 || seconds < 0) {
            throw new IllegalArgumentException("iterations, samples and seconds must be >= 0, but got "
                + iterations + ", " + samples + ", " + seconds);
        }
    }

    /** An epoch without diagnostics. */
    public EpochResult(Map<String, Double> metrics, int iterations, long samples, double seconds) {
        this(metrics, iterations, samples, seconds, Map.of());
    }

    static Map<String, List<Double>> copy(Map<String, List<Double>> series) {
        Map<String, List<Double>> copy = new java.util.LinkedHashMap<>();
        if (series != null) {
            series.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : 0.0;
    }
}
