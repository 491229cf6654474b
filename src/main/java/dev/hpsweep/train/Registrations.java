package dev.hpsweep.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Counts what registers with ND4J's deallocator service while some work runs, by kind (a data
 * buffer in a workspace or not, a view, an op context) and by the first caller outside ND4J: each
 * registration is a native object the collector must find dead and the freeing thread must delete,
 * so it is the measure of per-op garbage behind docs/BENCHMARKS.md's "Fewer native buffers per
 * batch". For {@code bench --only buffers}; the work runs on the calling thread, alone.
 */
public final class Registrations {
    private Registrations() {
    }

    /** Registrations during {@code work}, most frequent first, keyed "kind @ Class.method". */
    public static Map<String, Long> during(Runnable work) {
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        DeallocatorService service = Nd4j.getDeallocatorService();
        DeallocatorService counting = new DeallocatorService() {
            @Override
            public long nextValue() {
                return service.nextValue(); // ids stay unique with the service's own
            }

            @Override
            public void pickObject(Deallocatable d) {
                counts.computeIfAbsent(kind(d) + " @ " + caller(), k -> new LongAdder()).increment();
                service.pickObject(d);
            }
        };
        Nd4jRuntime.deallocatorService(counting);
        try {
            work.run();
        } finally {
            Nd4jRuntime.deallocatorService(service);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
            .forEach(e -> sorted.put(e.getKey(), e.getValue().sum()));
        return sorted;
    }

    private static String kind(Deallocatable d) {
        if (d instanceof DataBuffer b) {
            boolean view = b.underlyingDataBuffer() != null || b.originalDataBuffer() != null;
            return (b.isAttached() ? "workspace " : "") + (view ? "view " : "") + b.dataType() + " buffer";
        }
        return d.getClass().getSimpleName();
    }

    private static String caller() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("org.nd4j.") && !c.equals(Registrations.class.getName())
                && !c.startsWith(Registrations.class.getName() + "$")) {
                return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
            }
        }
        return "?";
    }
}
