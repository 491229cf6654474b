package dev.hpsweep.train;

import java.nio.charset.StandardCharsets;

/**
 * Derives the seeds of a trial from (sweep seed, trial id, epoch), so that a trial's initial
 * weights and each epoch's data order do not depend on what ran before it or on which thread
 * it ran: a resumed trial sees exactly the batches an uninterrupted one would have seen.
 */
public final class Seeds {
    private Seeds() {
    }

    /** Seed of a trial's weight initialisation. */
    public static long init(long sweepSeed, String trialId) {
        return mix(mix(sweepSeed) ^ hash(trialId));
    }

    /** Seed of the data order of epoch {@code epoch} (1-based) of a trial. */
    public static long epoch(long sweepSeed, String trialId, int epoch) {
        return mix(init(sweepSeed, trialId) + 0x9E3779B97F4A7C15L * (epoch + 1L));
    }

    /** FNV-1a over UTF-8: String.hashCode is stable too, but 32 bits collide too easily. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijection that spreads nearby inputs over all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A Fisher-Yates permutation of 0..n-1 drawn from {@code seed}. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
