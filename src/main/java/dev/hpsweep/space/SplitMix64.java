package dev.hpsweep.space;

/**
 * Steele, Lea and Flood's SplitMix64 generator, written out here rather than borrowed from
 * {@link java.util.SplittableRandom} so that random search draws the same trials for a seed on
 * every Java version: the JDK does not promise its bounded-draw algorithms stay the same.
 *
 * <p>State advances by the golden-ratio gamma; each output is the state passed through the mix64
 * finaliser. {@link #nextDouble()} takes the top 53 bits; {@link #nextLong(long)} rejects the
 * biased tail, as {@code java.util.Random.nextInt(int)} does.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound > 0 must hold, but got bound=" + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound + 1) % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r > limit);
        return r % bound;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }
}
