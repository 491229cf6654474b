package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The caches answer what ND4J's own providers answer, once per distinct request. */
class Nd4jRuntimeTest {

    @Test
    void cachedShapeInformationEqualsNd4jsOwnForRegularViewAndEmptyShapes() {
        Nd4jRuntime.install();
        assertTrue(Nd4jRuntime.active());
        Nd4jRuntime.CachingShapeInfoProvider cached = (Nd4jRuntime.CachingShapeInfoProvider) Nd4j.getShapeInfoProvider();
        DirectShapeInfoProvider stock = new DirectShapeInfoProvider();
        long[][][] cases = {{{3, 4}, {4, 1}}, {{3, 4}, {1, 3}}, {{2, 3, 5}, {15, 5, 1}}, {{5}, {1}}, {{0, 4}, {4, 1}}};
        for (long[][] c : cases) {
            for (char order : new char[] {'c', 'f'}) {
                for (long ews : new long[] {0, 1, 2}) {
                    Pair<DataBuffer, long[]> a = cached.createShapeInformation(c[0], c[1], ews, order, DataType.FLOAT,
                        c[0][0] == 0);
                    Pair<DataBuffer, long[]> b = stock.createShapeInformation(c[0], c[1], ews, order, DataType.FLOAT,
                        c[0][0] == 0);
                    assertArrayEquals(b.getSecond(), a.getSecond());
                    assertArrayEquals(b.getFirst().asLong(), a.getFirst().asLong());
                    assertSame(a, cached.createShapeInformation(c[0].clone(), c[1].clone(), ews, order, DataType.FLOAT,
                        c[0][0] == 0), "the second request is a hit");
                }
            }
        }
    }

    /** Cached shape and TAD buffers hand out one address pointer each, at their contents. */
    @Test
    void cachedShapeAndTadBuffersHandOutOnePointerEach() {
        Nd4jRuntime.install();
        INDArray m = Nd4j.create(DataType.FLOAT, 7, 5);
        DataBuffer shape = m.shapeInfoDataBuffer();
        assertTrue(shape instanceof PinnedLongBuffer, shape.getClass().getName());
        assertSame(shape.addressPointer(), shape.addressPointer());
        org.bytedeco.javacpp.LongPointer p = (org.bytedeco.javacpp.LongPointer) shape.addressPointer();
        assertArrayEquals(m.shapeInfoJava(), new long[] {p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5),
            p.get(6), p.get(7)});
        assertSame(shape, Nd4j.create(DataType.FLOAT, 7, 5).shapeInfoDataBuffer(), "one buffer per shape");

        Pair<DataBuffer, DataBuffer> tad = Nd4j.getExecutioner().getTADManager().getTADOnlyShapeInfo(m, new int[] {1});
        assertSame(tad.getFirst().addressPointer(), tad.getFirst().addressPointer());
        assertSame(tad.getSecond().addressPointer(), tad.getSecond().addressPointer());
        org.bytedeco.javacpp.LongPointer offsets = (org.bytedeco.javacpp.LongPointer) tad.getSecond().addressPointer();
        long[] read = new long[7];
        offsets.get(read);
        assertArrayEquals(new long[] {0, 5, 10, 15, 20, 25, 30}, read, "row offsets, read through the pointer");
        assertEquals(((PinnedLongBuffer) tad.getSecond()).original().addressPointer().address(), offsets.address(),
            "a view of libnd4j's own buffer, not a copy");
        assertArrayEquals(new float[] {10, 35, 60, 85, 110, 135, 160},
            Nd4j.linspace(0, 34, 35, DataType.FLOAT).reshape(7, 5).sum(1).toFloatVector());
    }

    /** What nobody references any more is freed, once: the count of registered objects falls back after a GC. */
    @Test
    void theLeanDeallocatorFreesWhatBecameUnreachableExactlyOnce() throws Exception {
        Nd4jRuntime.LeanDeallocator service = new Nd4jRuntime.LeanDeallocator();
        java.util.concurrent.atomic.AtomicInteger freed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Object> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            org.nd4j.linalg.api.memory.Deallocatable d = deallocatable(freed::incrementAndGet);
            service.pickObject(d);
            if (i % 100 == 0) {
                kept.add(d);
            }
        }
        assertEquals(20_000, service.registered());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (service.registered() > kept.size() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(kept.size(), service.registered(), "the referenced ones stay registered");
        assertEquals(20_000 - kept.size(), freed.get(), "each unreachable one freed once");
    }

    /**
     * ND4J's CPU buffers and op contexts are freed by address (what their deallocators delete),
     * anything else by its own deallocator; ND4J's arrays and contexts dropped are freed.
     */
    @Test
    void nd4jBuffersAndOpContextsAreFreedByTheAddressOfTheirNativeObject() throws Exception {
        Nd4jRuntime.install();
        Nd4jRuntime.use(true);
        assertEquals(Nd4jRuntime.NativeFree.BUFFER, Nd4jRuntime.NativeFree.kind(
            (org.nd4j.linalg.api.memory.Deallocatable) Nd4j.create(DataType.FLOAT, 3).data()));
        INDArray m = Nd4j.create(DataType.FLOAT, 4, 4);
        assertEquals(Nd4jRuntime.NativeFree.BUFFER, Nd4jRuntime.NativeFree.kind(
            (org.nd4j.linalg.api.memory.Deallocatable) m.getRow(1).data()), "a view's buffer");
        assertEquals(Nd4jRuntime.NativeFree.CONTEXT, Nd4jRuntime.NativeFree.kind(
            (org.nd4j.linalg.api.memory.Deallocatable) Nd4j.getExecutioner().buildContext()));
        assertEquals(Nd4jRuntime.NativeFree.HELD, Nd4jRuntime.NativeFree.kind(deallocatable(() -> { })));

        Nd4jRuntime.LeanDeallocator service = (Nd4jRuntime.LeanDeallocator) Nd4j.getDeallocatorService();
        // On a thread of its own, so that its lane counts these and nothing else.
        java.util.List<Object> made = new java.util.ArrayList<>();
        Thread maker = new Thread(() -> {
            for (int i = 0; i < 5_000; i++) {
                made.add(Nd4j.create(DataType.FLOAT, 8).addi(i).getScalar(3));
                made.add(Nd4j.getExecutioner().buildContext());
            }
        });
        maker.start();
        maker.join();
        assertTrue(service.registeredBy(maker) >= 10_000, "each array and context registered: " + service.registeredBy(maker));
        made.clear();
        waitFor(() -> service.registeredBy(maker) < 1_000, 30_000);
        assertTrue(service.registeredBy(maker) < 1_000, "freed: " + service.registeredBy(maker) + " left");
    }

    /**
     * Collections are asked for when the least of the recent readings has doubled since the last
     * one, at most once a second; one high reading (young garbage) is not enough.
     */
    @Test
    void theLeanDeallocatorAsksForAFullCollectionWhenWhatItHoldsHasDoubled() {
        long s = 1_000_000_000L;
        int n = Nd4jRuntime.Pressure.RECENT;
        Nd4jRuntime.Pressure p = new Nd4jRuntime.Pressure(100);
        for (int k = 0; k < 3 * n; k++) {
            assertTrue(!p.collectAfterDrain(k % n == 0 ? 100 : 5000, 0), "one reading in " + n + " at the floor: no");
        }
        assertTrue(p.collectAfterDrain(101, 0), "all recent ones past the floor: yes");
        for (int k = 0; k < n; k++) {
            assertTrue(!p.collectAfterDrain(k == 1 ? 500 : 5000, s / 10), "the readings after it measure what it left");
        }
        assertEquals(1000, p.limit(), "twice the least of them");
        for (int k = 0; k < n; k++) {
            assertTrue(!p.collectAfterDrain(999, 2 * s));
        }
        for (int k = 1; k < n; k++) {
            assertTrue(!p.collectAfterDrain(1001, 2 * s), "a 999 still among the recent ones");
        }
        assertTrue(p.collectAfterDrain(1001, 2 * s));
        for (int k = 0; k < n; k++) {
            assertTrue(!p.collectAfterDrain(10, 2 * s));
        }
        assertEquals(100, p.limit(), "never below the floor");
        for (int k = 0; k < n; k++) {
            assertTrue(!p.collectAfterDrain(5000, 2 * s + s / 2), "not twice within a second");
        }
        assertTrue(p.collectAfterDrain(5000, 3 * s + 1));
    }

    /**
     * What a collection found dead while a thread was inside an ND4J scope is freed only after that
     * thread reaches a boundary (or leaves the scope): an op it was running may still use it.
     * Threads outside a scope hold nothing up.
     */
    @Test
    void theLeanDeallocatorFreesOnlyAfterEveryThreadInsideAScopeHasPassedABoundary() throws Exception {
        Nd4jRuntime.LeanDeallocator service = new Nd4jRuntime.LeanDeallocator();
        java.util.concurrent.atomic.AtomicInteger freed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger();
        Thread op = insideAScope(phase, 2);
        try {
            register(service, freed, 1000);
            waitFor(() -> freed.get() > 0, 2_000);
            assertEquals(0, freed.get(), "nothing freed while a thread is inside a scope between boundaries");
            phase.set(1);
            waitFor(() -> freed.get() == 1000, 30_000);
            assertEquals(1000, freed.get(), "freed once it passes boundaries");
            phase.set(2);
            op.join();
            register(service, freed, 500);
            waitFor(() -> freed.get() == 1500, 30_000);
            assertEquals(1500, freed.get(), "no thread inside a scope: freed at once");
        } finally {
            phase.set(2); // never leave a thread inside a scope for the next test
        }
    }

    /**
     * A thread at a boundary frees, itself, what it registered and a collection found dead, once
     * every other thread that was inside an op has passed a boundary; what it still holds when it
     * leaves its scopes goes to the fallback thread.
     */
    @Test
    void aTrainingThreadFreesItsOwnGarbageAtItsBoundariesAfterTheOthersPassedOne() throws Exception {
        // No fallback during the first part: only the registering thread takes from its lane.
        Nd4jRuntime.LeanDeallocator service = new Nd4jRuntime.LeanDeallocator(Nd4jRuntime.Pressure.FLOOR, 3_600_000);
        Nd4jRuntime.LeanDeallocator withFallback = new Nd4jRuntime.LeanDeallocator(Nd4jRuntime.Pressure.FLOOR, 100);
        java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger();
        Thread other = insideAScope(phase, 3);
        java.util.Map<String, Integer> freedBy = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread trainer = new Thread(() -> {
            try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
                for (int i = 0; i < 1000; i++) {
                    service.pickObject(deallocatable(() -> freedBy.merge(Thread.currentThread().getName(), 1, Integer::sum)));
                }
                // The other thread is inside an op: taken, not freed.
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (service.pending() < 1000 && System.nanoTime() < deadline) {
                    System.gc();
                    service.reclaimOwn();
                }
                assertEquals(1000, service.pending(), "all taken at this thread's boundaries");
                assertEquals(0, freedBy.size(), "none freed while the other thread is inside an op");
                phase.set(1);
                while (freedBy.getOrDefault("trainer", 0) < 1000 && System.nanoTime() < deadline) {
                    service.reclaimOwn();
                    Thread.onSpinWait();
                }
                assertEquals(java.util.Map.of("trainer", 1000), freedBy, "freed by the thread that registered them");
                // Taken but not freed when it leaves its scopes: the fallback frees them.
                phase.set(0);
                Thread.sleep(50);
                freedBy.clear();
                for (int i = 0; i < 500; i++) {
                    withFallback.pickObject(deallocatable(() -> freedBy.merge(Thread.currentThread().getName(), 1, Integer::sum)));
                }
                // Some taken here (pending: the other thread is inside an op), some maybe by the fallback.
                for (int i = 0; i < 5; i++) {
                    System.gc();
                    withFallback.reclaimOwn();
                    Thread.sleep(20);
                }
                withFallback.handOff();
                assertEquals(0, withFallback.pending(), "nothing kept back by a thread that left its scopes");
                assertEquals(0, freedBy.size(), "none freed while the other thread is inside an op");
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "trainer");
        try {
            trainer.start();
            trainer.join();
            if (failed.get() != null) {
                throw new AssertionError(failed.get());
            }
            phase.set(1);
            waitFor(() -> freedBy.getOrDefault("hpsweep-nd4j-deallocator", 0) == 500, 30_000);
            assertEquals(java.util.Map.of("hpsweep-nd4j-deallocator", 500), freedBy, "handed to the fallback thread");
            assertEquals(0, service.registered());
            assertEquals(0, withFallback.registered());
        } finally {
            phase.set(3); // never leave a thread inside a scope for the next test
            other.join();
        }
    }

    /** A thread waiting inside a scope is not inside an op: what died meanwhile is freed. */
    @Test
    void aThreadWaitingInsideAScopeHoldsNoFreeUp() throws Exception {
        Nd4jRuntime.LeanDeallocator service = new Nd4jRuntime.LeanDeallocator();
        java.util.concurrent.atomic.AtomicInteger freed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch leave = new java.util.concurrent.CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
                inside.countDown();
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiting.setDaemon(true);
        waiting.start();
        try {
            inside.await();
            register(service, freed, 300);
            waitFor(() -> freed.get() == 300, 30_000);
            assertEquals(300, freed.get());
        } finally {
            leave.countDown();
            waiting.join();
        }
    }

    /**
     * A started thread inside a scope, runnable throughout, by {@code phase}: 0 busy without a
     * boundary (as inside a native op), 1 passing boundaries (as between batches), {@code leaveAt}
     * or more: it leaves the scope and ends. Returns once it is inside.
     */
    private static Thread insideAScope(java.util.concurrent.atomic.AtomicInteger phase, int leaveAt)
        throws InterruptedException {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (Nd4jRuntime.Scope ops = Nd4jRuntime.ops()) {
                inside.countDown();
                while (phase.get() < leaveAt) {
                    if (phase.get() == 1) {
                        Nd4jRuntime.boundary();
                    }
                    Thread.onSpinWait();
                }
            }
        });
        t.setDaemon(true);
        t.start();
        inside.await();
        return t;
    }

    private static void register(Nd4jRuntime.LeanDeallocator service, java.util.concurrent.atomic.AtomicInteger freed,
                                 int n) {
        for (int i = 0; i < n; i++) {
            service.pickObject(deallocatable(freed::incrementAndGet));
        }
    }

    /** A registrable object without native memory, whose deallocation runs {@code deallocator}. */
    private static org.nd4j.linalg.api.memory.Deallocatable deallocatable(org.nd4j.linalg.api.memory.Deallocator deallocator) {
        return new org.nd4j.linalg.api.memory.Deallocatable() {
            @Override
            public String getUniqueId() {
                return "test";
            }

            @Override
            public org.nd4j.linalg.api.memory.Deallocator deallocator() {
                return deallocator;
            }

            @Override
            public int targetDevice() {
                return 0;
            }
        };
    }

    /** Collects garbage until {@code done} or the time is up. */
    private static void waitFor(java.util.function.BooleanSupplier done, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
    }

    /**
     * Collections at epochs' and trials' ends cost at most 1/RATIO of the time: the first is due at
     * once, the next only after RATIO times the last one's duration has passed since it ended.
     */
    @Test
    void endCollectionsAreDueOnlyAfterFiftyTimesTheLastOnesDuration() {
        Nd4jRuntime.EndCollections ends = new Nd4jRuntime.EndCollections();
        assertTrue(ends.due(0), "the first one is due at once");
        long ms = 1_000_000L;
        ends.ran(1000 * ms, 40 * ms);
        long end = 1040 * ms;
        assertTrue(!ends.due(end), "not right after it");
        assertTrue(!ends.due(end + Nd4jRuntime.EndCollections.RATIO * 40 * ms - 1));
        assertTrue(ends.due(end + Nd4jRuntime.EndCollections.RATIO * 40 * ms));
        ends.ran(5000 * ms, 2 * ms);
        assertTrue(ends.due(5002 * ms + Nd4jRuntime.EndCollections.RATIO * 2 * ms), "a short one is due again sooner");
        Nd4jRuntime.EndCollections first = new Nd4jRuntime.EndCollections();
        assertTrue(first.claim(0), "the first end claims it");
        assertTrue(!first.claim(0), "a second trial ending meanwhile does not run another");
        first.ran(0, 30 * ms);
        assertTrue(first.claim(30 * ms + Nd4jRuntime.EndCollections.RATIO * 30 * ms));
    }

    /** Data bytes count for buffers that own them, not for views (their data is their parent's). */
    @Test
    void theLeanDeallocatorCountsTheDataOfBuffersThatOwnIt() {
        INDArray m = Nd4j.create(DataType.FLOAT, 100, 10);
        assertEquals(Nd4jRuntime.LeanDeallocator.OVERHEAD + 4000, Nd4jRuntime.LeanDeallocator.bytes((org.nd4j.linalg.api.memory.Deallocatable) m.data()));
        DataBuffer view = Nd4j.createBuffer(m.data(), 10, 10);
        assertEquals(Nd4jRuntime.LeanDeallocator.OVERHEAD, Nd4jRuntime.LeanDeallocator.bytes((org.nd4j.linalg.api.memory.Deallocatable) view));
        org.nd4j.linalg.api.memory.Deallocatable context = deallocatable(() -> { });
        assertEquals(Nd4jRuntime.LeanDeallocator.OVERHEAD, Nd4jRuntime.LeanDeallocator.bytes(context));
    }

    @Test
    void switchingBetweenNd4jsPartsAndTheLeanOnesKeepsResults() {
        INDArray m = Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(3, 4);
        Nd4jRuntime.use(false);
        try {
            assertTrue(!Nd4jRuntime.active());
            assertArrayEquals(new float[] {10, 26, 42}, m.sum(1).toFloatVector());
        } finally {
            Nd4jRuntime.use(true);
        }
        assertTrue(Nd4jRuntime.active());
        assertArrayEquals(new float[] {10, 26, 42}, m.sum(1).toFloatVector());
    }

    @Test
    void reductionsAndBroadcastsOverCachedTadsComputeWhatTheyComputed() {
        Nd4jRuntime.install();
        INDArray m = Nd4j.linspace(1, 24, 24, DataType.FLOAT).reshape(4, 6);
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(new float[] {21, 57, 93, 129}, m.sum(1).toFloatVector());
            assertArrayEquals(new float[] {40, 44, 48, 52, 56, 60}, m.sum(0).toFloatVector());
            INDArray view = m.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
            assertArrayEquals(new float[] {57, 93}, view.sum(1).toFloatVector());
            INDArray shifted = m.dup().addiRowVector(Nd4j.ones(DataType.FLOAT, 6));
            assertEquals(25f, shifted.getFloat(3, 5));
            assertEquals(3, m.argMax(0).getInt(0));
        }
    }
}
