package dev.hpsweep.space;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A user's input (a search-space file, a data file, a command-line argument) broke a rule.
 * The CLI turns it into a one-line message and exit code 2, never a stack trace.
 *
 * <p>{@code line} and {@code column} are 1-based; 0 means "not known" (a whole-file problem).
 * For row-oriented files (CSV) {@code line} is the physical line number and {@code column} 0.
 */
public class InputException extends RuntimeException {
    private final String source;
    private final int line;
    private final int column;
    private final String key;
    private final String rule;

    /**
     * @param source the file (or other input) the problem is in
     * @param line   1-based line, 0 if unknown
     * @param column 1-based column, 0 if unknown
     * @param key    the key or field at fault (dotted path such as {@code search.params[0].lr}), or null
     * @param rule   what was wrong and what is allowed, as a sentence
     */
    public InputException(String source, int line, int column, String key, String rule) {
        super(format(source, line, column, key, rule));
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.column = column;
        this.key = key;
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public InputException(Path source, int line, int column, String key, String rule) {
        this(source.toString(), line, column, key, rule);
    }

    private static String format(String source, int line, int column, String key, String rule) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (key != null && !key.isEmpty()) {
            sb.append('\'').append(key).append("': ");
        }
        return sb.append(rule).toString();
    }

    public String source() { return source; }

    public int line() { return line; }

    public int column() { return column; }

    public String key() { return key; }

    public String rule() { return rule; }
}
