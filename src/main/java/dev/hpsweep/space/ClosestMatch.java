package dev.hpsweep.space;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the allowed word a typo was probably meant to be, for "did you mean ...?" hints. */
final class ClosestMatch {
    /** Farther than this, a suggestion is more likely to confuse than help. */
    static final int MAX_DISTANCE = 2;

    private ClosestMatch() {
    }

    /** The allowed word nearest to {@code word} within {@link #MAX_DISTANCE} edits; the earliest wins ties. */
    static Optional<String> of(String word, Collection<String> allowed) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : allowed) {
            int d = distance(word, candidate);
            // Two edits turn any two-letter word into any other; require the words to share something.
            if (d < bestDistance && d < Math.max(word.length(), candidate.length())) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "; did you mean 'x'?" or "" when nothing is close. */
    static String didYouMean(String word, Collection<String> allowed) {
        return of(word, allowed).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /** Levenshtein distance, case-insensitive since {@code Epochs} for {@code epochs} is the same typo. */
    static int distance(String a, String b) {
        String s = a.toLowerCase(Locale.ROOT);
        String t = b.toLowerCase(Locale.ROOT);
        int[] previous = new int[t.length() + 1];
        int[] current = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= t.length(); j++) {
                int substitution = previous[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[t.length()];
    }
}
