package dev.hpsweep.space;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule a sweep's name keeps, wherever it comes from (a search-space file's {@code name}, or
 * NAME on the command line of resume, tail and report): it names directories under the logs and
 * checkpoints roots, so it must stay one plain directory name there.
 */
public final class SweepName {
    /**
     * Longest name accepted, in characters (= bytes: the name is ASCII). File systems allow 255 bytes
     * per name, and {@code run --fresh} adds up to 30 more ({@code .previous-20261201-120000-99}).
     */
    public static final int MAX_LENGTH = 200;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");

    private SweepName() {
    }

    /** What is wrong with {@code name} as a sweep name, as a sentence; empty when nothing is. */
    public static Optional<String> problem(String name) {
        if (name.length() > MAX_LENGTH) {
            return Optional.of("a sweep name names directories, so it must be at most " + MAX_LENGTH
                + " characters (file systems allow 255 per name, and hpsweep adds up to 30), but got one of "
                + name.length() + " characters ('" + name.substring(0, 20) + "...')");
        }
        if (!ALLOWED.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return Optional.of("a sweep name names directories, so it must match [A-Za-z0-9._-]+ and not be '.' or "
                + "'..', but got '" + name + "'");
        }
        return Optional.empty();
    }

    /**
     * {@code name} as given on the command line, as argument {@code what} (e.g. "NAME").
     *
     * @throws InputException (exit code 2) if it breaks the rule
     */
    public static String checkArgument(String what, String name) {
        problem(name).ifPresent(p -> {
            throw new InputException(what, 0, 0, null, p);
        });
        return name;
    }
}
