package dev.hpsweep.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The process's resident-memory ceiling, checked by training threads between batches ({@link
 * Nd4jRuntime#boundary}), at most every {@link #INTERVAL_NANOS}. Above it, a full collection runs
 * (so that ND4J's dead buffers are found and freed) and the check waits up to {@link #SETTLE_MILLIS}
 * for the freeing thread; still above, the trial fails alone with an {@link OutOfMemoryError}.
 *
 * <p>It replaces JavaCPP's {@code maxphysicalbytes}, which reads the resident size on every JavaCPP
 * allocation under JavaCPP's global lock: 4.7% of a trial's thread in a JFR profile, and a lock the
 * concurrent trials share (docs/BENCHMARKS.md, "Where a training thread's time goes now"). The
 * launcher sets {@code -Dhpsweep.memory.ceiling.mb} to 3/4 of the machine's memory; 0 or unset: no
 * ceiling.
 */
final class ResidentCeiling {
    static final long INTERVAL_NANOS = 100_000_000L;
    static final long SETTLE_MILLIS = 2_000;
    private static final ResidentCeiling PROCESS = new ResidentCeiling(
        Long.getLong("hpsweep.memory.ceiling.mb", 0) << 20, ResidentCeiling::residentBytes, System::gc);

    private final long ceilingBytes;
    private final LongSupplier resident;
    private final Runnable collect;
    private volatile long lastNanos = Long.MIN_VALUE;

    ResidentCeiling(long ceilingBytes, LongSupplier resident, Runnable collect) {
        this.ceilingBytes = ceilingBytes;
        this.resident = resident;
        this.collect = collect;
    }

    /** The process's ceiling, checked now if the last check is older than the interval. */
    static void checkProcess() {
        PROCESS.check(System.nanoTime());
    }

    void check(long nanos) {
        long last = lastNanos;
        if (ceilingBytes <= 0 || (last != Long.MIN_VALUE && nanos - last < INTERVAL_NANOS)) {
            return;
        }
        lastNanos = nanos;
        long rss = resident.getAsLong();
        if (rss <= ceilingBytes) {
            return;
        }
        collect.run();
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        while (rss > ceilingBytes && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50); // waiting, so the freeing thread does not wait for this thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            rss = resident.getAsLong();
        }
        if (rss > ceilingBytes) {
            throw new OutOfMemoryError("resident memory " + (rss >> 20) + " MB is above hpsweep's ceiling of "
                + (ceilingBytes >> 20) + " MB (-Dhpsweep.memory.ceiling.mb, by default 3/4 of this machine's memory)"
                + " after a full collection");
        }
    }

    /** VmRSS from /proc/self/status, in bytes; 0 where there is none (not Linux). */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) << 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
