package dev.hpsweep.train;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Security;
import java.util.Map;
import java.util.UUID;

/**
 * The generator behind ND4J's op names. ND4J 1.0.0-M2.1 names every op it builds outside SameDiff
 * (each mmul, add, mean, batch norm of a DL4J layer) with {@code UUID.randomUUID()}
 * ({@code DifferentialFunction.setInstanceId}). {@code UUID} draws from one {@code SecureRandom} for
 * the whole JVM; on Linux that is NativePRNG, whose every call takes a lock that all its instances
 * share. One thread drew an id in ~200 ns; two threads drawing at once, as two trials' training
 * threads do at every op, took ~550 ns each and queued for the lock (docs/BENCHMARKS.md, "Op
 * names").
 *
 * <p>{@link #install} (from {@code Main}, first thing) gives {@code UUID} a generator before anything in
 * the JVM draws its first id:
 * a {@code SecureRandom} whose every thread draws from its own SHA1PRNG (~110 ns for 16 bytes, no
 * lock shared between threads), each seeded from the platform's default generator. The provider
 * that supplies it is first in the JVM's list only while {@code UUID} creates its generator, and
 * removed right after, so every other {@code new SecureRandom()} in the JVM gets the platform's
 * default as before. Ids stay random 122-bit version-4 UUIDs; nothing numeric depends on them.
 */
final class OpIds {
    /** The platform's default generator (made before the provider is ever listed): the per-thread generators' seeds. */
    private static final SecureRandom SEEDS = new SecureRandom();
    private static volatile boolean created;
    /** Draws from the per-thread generators so far (each UUID is one), for {@code bench --only buffers}. */
    private static final java.util.concurrent.atomic.LongAdder DRAWS = new java.util.concurrent.atomic.LongAdder();
    private static boolean tried;

    private OpIds() {
    }

    /**
     * Gives {@code UUID} the per-thread generator, once per JVM, from {@code Main} before any other
     * thread starts (one that made a {@code new SecureRandom()} meanwhile would get it too);
     * {@code -Dhpsweep.op.ids=shared} leaves the JVM's own. Returns whether {@code UUID} uses it: false when an id was drawn in this
     * JVM before the first call (the generator is then already fixed) or when it was switched off.
     */
    static synchronized boolean install() {
        if (!tried) {
            tried = true;
            if (!"shared".equals(System.getProperty("hpsweep.op.ids", "per-thread"))) {
                PerThreadProvider provider = new PerThreadProvider();
                if (Security.insertProviderAt(provider, 1) < 0) {
                    return created; // one of that name is listed already (not ours to remove)
                }
                try {
                    UUID.randomUUID(); // UUID makes its generator on its first id, with the list as it is now
                } finally {
                    Security.removeProvider(provider.getName());
                }
            }
        }
        return created;
    }

    /** Whether UUIDs come from the per-thread generator (after {@link #install}). */
    static boolean inUse() {
        return created;
    }

    /** UUIDs (and any other draws) taken from the per-thread generators so far in this JVM. */
    static long draws() {
        return DRAWS.sum();
    }

    /** A SHA1PRNG for the calling thread, seeded from the platform's default generator. */
    static SecureRandom seeded() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            byte[] seed = new byte[32];
            SEEDS.nextBytes(seed);
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // every Java SE runtime has SHA1PRNG; the platform default otherwise
        }
    }

    /** Each thread's draws come from that thread's own generator: no state or lock shared between threads. */
    public static final class PerThread extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient ThreadLocal<SecureRandom> local = ThreadLocal.withInitial(OpIds::seeded);

        @Override
        protected void engineSetSeed(byte[] seed) {
            local.get().setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            DRAWS.increment();
            local.get().nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return SEEDS.generateSeed(numBytes);
        }
    }

    /** Lists {@link PerThread} as a thread-safe SecureRandom (so {@code SecureRandom} takes no lock around it). */
    static final class PerThreadProvider extends Provider {
        private static final long serialVersionUID = 1L;

        PerThreadProvider() {
            super("hpsweep-op-ids", "1.0", "per-thread SHA1PRNG for UUID's generator (hpsweep)");
            putService(new Service(this, "SecureRandom", "PerThreadSHA1PRNG", PerThread.class.getName(), null,
                Map.of("ThreadSafe", "true")) {
                @Override
                public Object newInstance(Object parameter) {
                    created = true;
                    return new PerThread();
                }
            });
        }
    }
}
