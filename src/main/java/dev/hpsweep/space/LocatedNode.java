package dev.hpsweep.space;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value read from a search-space file together with where it was written. Jackson's
 * {@code JsonNode} drops locations, so the loader builds this tree instead and every check
 * reports its problem through {@link #error(String)}, which names file, line, column and key path.
 */
sealed interface LocatedNode permits LocatedNode.Mapping, LocatedNode.Sequence, LocatedNode.Scalar {

    /** Where a node (or a mapping key) starts, 1-based, and the dotted key path leading to it. */
    record Origin(String source, int line, int column, String path) {
        InputException error(String rule) {
            return new InputException(source, line, column, path.isEmpty() ? null : path, rule);
        }

        String childPath(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        String elementPath(int index) {
            return path + "[" + index + "]";
        }
    }

    Origin origin();

    /** How the node reads in a "but got ..." clause. */
    String describe();

    default InputException error(String rule) {
        return origin().error(rule);
    }

    default Mapping asMapping() {
        if (this instanceof Mapping m) {
            return m;
        }
        throw error("expected a mapping {key: value, ...}, but got " + describe());
    }

    default Sequence asSequence() {
        if (this instanceof Sequence s) {
            return s;
        }
        throw error("expected a list [a, b, ...], but got " + describe());
    }

    default Sequence asNonEmptySequence() {
        Sequence s = asSequence();
        if (s.items().isEmpty()) {
            throw error("expected a non-empty list, but got an empty list");
        }
        return s;
    }

    default String asString() {
        if (this instanceof Scalar s && s.type() == Scalar.Type.STRING) {
            return s.text();
        }
        String hint = this instanceof Scalar s && s.type() != Scalar.Type.NULL
                ? " (quote it if you mean the text: \"" + s.text() + "\")" : "";
        throw error("expected a string, but got " + describe() + hint);
    }

    default long asLong() {
        if (this instanceof Scalar s && s.type() == Scalar.Type.INTEGER) {
            Number n = (Number) s.value();
            BigInteger value = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
            if (value.bitLength() < Long.SIZE) {
                return value.longValue();
            }
            throw error("expected an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE
                    + ", but got " + describe());
        }
        throw error("expected an integer, but got " + describe());
    }

    default int asInt() {
        if (this instanceof Scalar s && s.type() == Scalar.Type.INTEGER) {
            Number n = (Number) s.value();
            if (!(n instanceof BigInteger) && n.longValue() == n.intValue()) {
                return n.intValue();
            }
            throw error("expected an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                    + ", but got " + describe());
        }
        throw error("expected an integer, but got " + describe());
    }

    /** Integers are accepted where a number is expected: {@code lr: 1} means 1.0. */
    default double asDouble() {
        if (this instanceof Scalar s && (s.type() == Scalar.Type.INTEGER || s.type() == Scalar.Type.FLOAT)) {
            double value = ((Number) s.value()).doubleValue();
            if (Double.isFinite(value)) {
                return value;
            }
            throw error("expected a finite number, but got " + describe());
        }
        throw error("expected a number, but got " + describe());
    }

    default boolean asBoolean() {
        if (this instanceof Scalar s && s.type() == Scalar.Type.BOOLEAN) {
            return (Boolean) s.value();
        }
        throw error("expected a boolean (true or false), but got " + describe());
    }

    /** A key/value mapping; keys are unique and kept in file order. */
    final class Mapping implements LocatedNode {
        /** One {@code key: value} pair; the key has its own origin so unknown keys point at the key itself. */
        record Entry(String key, Origin keyOrigin, LocatedNode value) {
        }

        private final Origin origin;
        private final Map<String, Entry> entries;

        Mapping(Origin origin, Collection<Entry> entries) {
            this.origin = origin;
            Map<String, Entry> copy = new LinkedHashMap<>();
            for (Entry e : entries) {
                copy.put(e.key(), e);
            }
            this.entries = Collections.unmodifiableMap(copy);
        }

        @Override
        public Origin origin() {
            return origin;
        }

        @Override
        public String describe() {
            return "a mapping";
        }

        List<Entry> entries() {
            return List.copyOf(entries.values());
        }

        int size() {
            return entries.size();
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        Optional<LocatedNode> optional(String key) {
            return Optional.ofNullable(entries.get(key)).map(Entry::value);
        }

        LocatedNode required(String key) {
            Entry e = entries.get(key);
            if (e == null) {
                throw new InputException(origin.source(), origin.line(), origin.column(), origin.childPath(key),
                        "missing required key '" + key + "'");
            }
            return e.value();
        }

        Origin keyOrigin(String key) {
            Entry e = entries.get(key);
            if (e == null) {
                throw new IllegalArgumentException("no key " + key + " at " + origin.path());
            }
            return e.keyOrigin();
        }

        /** Rejects the first key not in {@code allowed}, suggesting the closest allowed one. */
        Mapping allowOnly(List<String> allowed) {
            for (Entry e : entries.values()) {
                if (!allowed.contains(e.key())) {
                    throw e.keyOrigin().error("unknown key '" + e.key() + "'; allowed: " + String.join(", ", allowed)
                            + ClosestMatch.didYouMean(e.key(), allowed));
                }
            }
            return this;
        }
    }

    /** A list; items are addressed as {@code path[i]}. */
    record Sequence(Origin origin, List<LocatedNode> items) implements LocatedNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return items.isEmpty() ? "an empty list" : "a list";
        }
    }

    /**
     * A single value. {@code text} is the token as written (YAML's {@code yes} stays "yes");
     * {@code value} is a String, a Number (Integer, Long, BigInteger or Double), a Boolean, or null.
     */
    record Scalar(Origin origin, Type type, String text, Object value) implements LocatedNode {
        enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "'" + text + "'";
                case NULL -> "an empty value (null)";
                default -> text;
            };
        }
    }
}
