package dev.hpsweep.space;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One trial of a sweep: its stable id and every parameter value it trains with.
 *
 * @param id       "trial-0001" for index 0; four digits, more once past 9999
 * @param index    0-based position in the expansion
 * @param params   every catalogue parameter of the model type (fixed, searched or default), in
 *                 catalogue order, then {@code epochs}; values are Integer, Double, Boolean, String,
 *                 or an unmodifiable List of Integer or Double
 * @param searched only the parameters that came from {@code search}, in file order
 */
public record TrialSpec(String id, int index, Map<String, Object> params, Map<String, Object> searched) {

    public TrialSpec {
        Objects.requireNonNull(id, "id");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        searched = Collections.unmodifiableMap(new LinkedHashMap<>(searched));
        if (!(params.get(ModelCatalogue.EPOCHS.name()) instanceof Integer)) {
            throw new IllegalArgumentException("params must hold an Integer 'epochs', but got " + params);
        }
    }

    /** The id of the trial at 0-based {@code index}. */
    public static String idOf(int index) {
        return String.format("trial-%04d", index + 1);
    }

    /** Epochs this trial trains for. */
    public int epochs() {
        return intParam(ModelCatalogue.EPOCHS.name());
    }

    public int intParam(String name) {
        return param(name, Integer.class);
    }

    /** Integer values are widened, so a number parameter written as {@code 1} still reads as 1.0. */
    public double doubleParam(String name) {
        return param(name, Number.class).doubleValue();
    }

    public boolean boolParam(String name) {
        return param(name, Boolean.class);
    }

    public String stringParam(String name) {
        return param(name, String.class);
    }

    /** A list-of-integers parameter (such as {@code record_grad_layers}). */
    public List<Integer> intListParam(String name) {
        List<?> list = param(name, List.class);
        return list.stream().map(v -> ((Number) v).intValue()).toList();
    }

    /** A list-of-numbers parameter (such as {@code sine_alphas}); integers are widened. */
    public List<Double> doubleListParam(String name) {
        List<?> list = param(name, List.class);
        return list.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private <T> T param(String name, Class<T> type) {
        Object value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException(id + " has no parameter '" + name + "'; it has " + params.keySet());
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(id + ": parameter '" + name + "' is a "
                    + value.getClass().getSimpleName() + " (" + value + "), not a " + type.getSimpleName());
        }
        return type.cast(value);
    }
}
