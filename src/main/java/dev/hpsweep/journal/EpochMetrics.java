package dev.hpsweep.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished epoch of one trial, as journalled and written to the trial's metrics.jsonl.
 *
 * @param trial      trial id, e.g. trial-0003
 * @param epoch      1-based
 * @param epochs     the trial's planned number of epochs
 * @param metrics    train/val/test loss and accuracy and any trainer-specific values
 * @param iterations optimizer steps in the epoch
 * @param samples    training samples seen in the epoch
 * @param seconds    the epoch's wall time
 * @param timeMillis when it finished, epoch milliseconds
 * @param diagnostics named series the trial asked to record (batch losses, gradient norms); they go
 *                   to the trial's diagnostics.jsonl only, not to the journal or metrics.jsonl
 */
public record EpochMetrics(String trial, int epoch, int epochs, Map<String, Double> metrics,
                           int iterations, long samples, double seconds, long timeMillis,
                           @JsonIgnore Map<String, List<Double>> diagnostics) {
    public EpochMetrics {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        Map<String, List<Double>> series = new LinkedHashMap<>();
        if (diagnostics != null) {
            diagnostics.forEach((name, values) -> series.put(name, List.copyOf(values)));
        }
        diagnostics = Collections.unmodifiableMap(series);
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("1 <= epoch <= epochs must hold, but got epoch=" + epoch
                + ", epochs=" + epochs);
        }
    }

    /** An epoch without diagnostics. */
    public EpochMetrics(String trial, int epoch, int epochs, Map<String, Double> metrics,
                        int iterations, long samples, double seconds, long timeMillis) {
        this(trial, epoch, epochs, metrics, iterations, samples, seconds, timeMillis, Map.of());
    }

    /** The value of {@code name}, or NaN when the trainer did not report it. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : 0.0;
    }
}
