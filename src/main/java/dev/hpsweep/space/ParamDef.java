package dev.hpsweep.space;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One hyperparameter a model type understands: its type, the values it may take, its default and
 * what it means. Values in {@code fixed} and {@code search} are checked with {@link #check(Object)}.
 *
 * @param name         the key used in search-space files and in {@link TrialSpec#params()}
 * @param kind         the Java type of its values (Integer, Double, Boolean, String, or a List of
 *                     Integer or Double for the list kinds)
 * @param allowed      for STRING: the permitted values; empty means any string
 * @param min          lower bound for INT/DOUBLE (for the list kinds: of every element), or null for none
 * @param minExclusive whether {@code min} itself is excluded
 * @param max          upper bound for INT/DOUBLE, or null for none
 * @param maxExclusive whether {@code max} itself is excluded
 * @param defaultValue value used when the file sets none, of the kind's Java type; null means the
 *                     value comes from elsewhere (only {@code epochs}: the top-level {@code epochs})
 * @param doc          one sentence for help texts
 */
public record ParamDef(String name, Kind kind, List<String> allowed, Double min, boolean minExclusive,
                       Double max, boolean maxExclusive, Object defaultValue, String doc) {

    /** The value types a parameter can have. */
    public enum Kind {
        INT(Integer.class), DOUBLE(Double.class), BOOLEAN(Boolean.class), STRING(String.class),
        /** A list of integers, possibly empty: {@code record_grad_layers: [0, 30, 60]}. */
        INT_LIST(List.class),
        /** A non-empty list of numbers: {@code sine_alphas: [0.1, 0.2]}. */
        DOUBLE_LIST(List.class);

        private final Class<?> javaType;

        Kind(Class<?> javaType) {
            this.javaType = javaType;
        }

        public Class<?> javaType() {
            return javaType;
        }

        /** Whether values (or list elements) are numbers, so bounds apply. */
        public boolean isNumeric() {
            return this == INT || this == DOUBLE || this == INT_LIST || this == DOUBLE_LIST;
        }

        /** For the list kinds: the kind of each element; for the others, itself. */
        public Kind element() {
            return this == INT_LIST ? INT : this == DOUBLE_LIST ? DOUBLE : this;
        }
    }

    public ParamDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(doc, "doc");
        allowed = List.copyOf(allowed);
        if (!allowed.isEmpty() && kind != Kind.STRING) {
            throw new IllegalArgumentException("allowed values only apply to STRING parameters: " + name);
        }
        if ((min != null || max != null) && !kind.isNumeric()) {
            throw new IllegalArgumentException("bounds only apply to number and number-list parameters: " + name);
        }
        if (defaultValue != null) {
            if (!kind.javaType().isInstance(defaultValue)) {
                throw new IllegalArgumentException("default of " + name + " must be a " + kind.javaType().getSimpleName());
            }
        }
    }

    /** An integer parameter {@code >= min}. */
    public static ParamDef integerAtLeast(String name, int min, Integer defaultValue, String doc) {
        return new ParamDef(name, Kind.INT, List.of(), (double) min, false, null, false, defaultValue, doc);
    }

    /** A number parameter {@code >= min}. */
    public static ParamDef numberAtLeast(String name, double min, Double defaultValue, String doc) {
        return new ParamDef(name, Kind.DOUBLE, List.of(), min, false, null, false, defaultValue, doc);
    }

    /** A list of integers, each {@code >= min}; may be empty. */
    public static ParamDef integerListAtLeast(String name, int min, List<Integer> defaultValue, String doc) {
        return new ParamDef(name, Kind.INT_LIST, List.of(), (double) min, false, null, false,
                List.copyOf(defaultValue), doc);
    }

    /** A non-empty list of numbers, each {@code > min}. */
    public static ParamDef numberListAbove(String name, double min, List<Double> defaultValue, String doc) {
        return new ParamDef(name, Kind.DOUBLE_LIST, List.of(), min, true, null, false, List.copyOf(defaultValue), doc);
    }

    /** A number parameter {@code > min}. */
    public static ParamDef numberAbove(String name, double min, Double defaultValue, String doc) {
        return new ParamDef(name, Kind.DOUBLE, List.of(), min, true, null, false, defaultValue, doc);
    }

    /** A number parameter in {@code [low, high)}. */
    public static ParamDef numberInHalfOpen(String name, double low, double high, Double defaultValue, String doc) {
        return new ParamDef(name, Kind.DOUBLE, List.of(), low, false, high, true, defaultValue, doc);
    }

    /** A number parameter in {@code (low, high]}: a fraction that may be 1 but not 0. */
    public static ParamDef numberAboveAtMost(String name, double low, double high, Double defaultValue, String doc) {
        return new ParamDef(name, Kind.DOUBLE, List.of(), low, true, high, false, defaultValue, doc);
    }

    public static ParamDef bool(String name, Boolean defaultValue, String doc) {
        return new ParamDef(name, Kind.BOOLEAN, List.of(), null, false, null, false, defaultValue, doc);
    }

    /** A string parameter restricted to {@code allowed}. */
    public static ParamDef oneOf(String name, List<String> allowed, String defaultValue, String doc) {
        return new ParamDef(name, Kind.STRING, allowed, null, false, null, false, defaultValue, doc);
    }

    /** What a value must be, for error messages: "an integer >= 1", "a number in [0, 1)", "one of adam, sgd". */
    public String describe() {
        if (kind == Kind.INT_LIST || kind == Kind.DOUBLE_LIST) {
            String element = new ParamDef(name, kind.element(), allowed, min, minExclusive, max, maxExclusive, null,
                    doc).describe();
            String plural = element.replaceFirst("^an integer", "integers").replaceFirst("^a number", "numbers");
            return (kind == Kind.DOUBLE_LIST ? "a non-empty list of " : "a list of ") + plural;
        }
        return switch (kind) {
            case BOOLEAN -> "a boolean (true or false)";
            case STRING -> allowed.isEmpty() ? "a string" : "one of " + String.join(", ", allowed);
            case INT, DOUBLE, INT_LIST, DOUBLE_LIST -> {
                String noun = kind == Kind.INT ? "an integer" : "a number";
                if (min != null && max != null) {
                    yield noun + " in " + (minExclusive ? "(" : "[") + number(min) + ", " + number(max)
                            + (maxExclusive ? ")" : "]");
                } else if (min != null) {
                    yield noun + (minExclusive ? " > " : " >= ") + number(min);
                } else if (max != null) {
                    yield noun + (maxExclusive ? " < " : " <= ") + number(max);
                }
                yield noun;
            }
        };
    }

    /** Empty if {@code value} is of this parameter's kind and within its rules, else the broken rule. */
    public Optional<String> check(Object value) {
        String expected = "'" + name + "' must be " + describe() + ", but got ";
        if (!kind.javaType().isInstance(value)) {
            return Optional.of(expected + (value instanceof String ? "'" + value + "'" : value));
        }
        if (kind == Kind.STRING && !allowed.isEmpty() && !allowed.contains(value)) {
            return Optional.of(expected + "'" + value + "'" + ClosestMatch.didYouMean((String) value, allowed));
        }
        if (kind == Kind.INT_LIST || kind == Kind.DOUBLE_LIST) {
            List<?> list = (List<?>) value;
            if (kind == Kind.DOUBLE_LIST && list.isEmpty()) {
                return Optional.of(expected + "an empty list");
            }
            ParamDef element = new ParamDef(name, kind.element(), allowed, min, minExclusive, max, maxExclusive,
                    null, doc);
            for (Object item : list) {
                Optional<String> broken = element.check(item);
                if (broken.isPresent()) {
                    return Optional.of(expected + list + " (element " + item + ")");
                }
            }
            return Optional.empty();
        }
        if (kind == Kind.INT || kind == Kind.DOUBLE) {
            double v = ((Number) value).doubleValue();
            boolean belowMin = min != null && (minExclusive ? v <= min : v < min);
            boolean aboveMax = max != null && (maxExclusive ? v >= max : v > max);
            if (belowMin || aboveMax) {
                return Optional.of(expected + number(v));
            }
        }
        return Optional.empty();
    }

    /** 1.0 prints as 1, 1e-5 as 0.00001: the way people write bounds. */
    static String number(double v) {
        double magnitude = Math.abs(v);
        if (v != 0 && (magnitude < 1e-6 || magnitude >= 1e15) || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
