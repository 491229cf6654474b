package dev.hpsweep.train;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.Deallocator;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.cpu.nativecpu.CpuTADManager;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.cpu.nativecpu.buffer.BaseCpuDataBuffer;
import org.nd4j.linalg.cpu.nativecpu.ops.CpuOpContext;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.nativeblas.OpaqueContext;
import org.nd4j.nativeblas.OpaqueDataBuffer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * hpsweep's replacements for parts of ND4J 1.0.0-M2.1's CPU backend that cost more than the
 * arithmetic of a small network, installed once per JVM: the shape-info provider, the TAD manager,
 * the deallocator service, and the op executioner ({@link LeanOpExecutioner}).
 *
 * <p>Every new INDArray (each op's output, each view, each scalar) asks the shape-info provider
 * for its shape buffer through an overload {@code DirectShapeInfoProvider} does not cache, and
 * every reduce or broadcast op asks {@code CpuTADManager}, whose cache is commented out, for two
 * TAD buffers. Each answer costs two JavaCPP pointers, a JNI call, a new {@code LongBuffer} wrapped
 * around memory libnd4j already caches natively, and a registration with ND4J's deallocator. The
 * answers depend only on the arguments and point into libnd4j's own constant caches, so caching
 * them here returns the very same memory: results are bit-identical (GoldenSweepTest). The caches
 * keep each buffer as a {@link PinnedLongBuffer}, a view of that memory whose address pointer is made once.
 *
 * <p>The registration itself ({@code DeallocatorService.pickObject}, once per native buffer) builds
 * two id strings, draws from a shared {@code Random} and puts into one map shared by every thread,
 * which the deallocator threads then remove from. {@link LeanDeallocator} keeps ND4J's rule (free a
 * buffer's native memory once the buffer is unreachable, from a reference queue) with a reference
 * that holds only the native object's address, in a lane per registering thread, without strings
 * or the shared map; a training thread frees its own lane's dead buffers between batches.
 *
 * <p>The JFR profiles that justified each part are in docs/BENCHMARKS.md. {@code
 * -Dhpsweep.nd4j.lean=false} leaves ND4J as it is; {@link #use} switches at run time (the benchmark
 * compares both in one JVM).
 */
public final class Nd4jRuntime {
    /** Distinct shapes (and TAD requests) cached at most; beyond that ND4J's own path answers. */
    static final int MAX_ENTRIES = 20_000;
    private static Object[] stock;
    private static volatile Object[] lean;

    private Nd4jRuntime() {
    }

    /** Installs the lean parts unless {@code hpsweep.nd4j.lean=false}; idempotent. */
    public static synchronized void install() {
        if (stock == null) {
            use(Boolean.parseBoolean(System.getProperty("hpsweep.nd4j.lean", "true")));
        }
    }

    /**
     * Gives ND4J's op names a per-thread generator ({@link OpIds}); {@code Main} calls it before any
     * other thread exists, since another thread's {@code new SecureRandom()} during the call would
     * get that generator too. Returns whether UUIDs now come from it.
     */
    public static boolean installOpIds() {
        return OpIds.install();
    }

    /** Whether ND4J's op names come from the per-thread generator, for the benchmark. */
    public static boolean perThreadOpIds() {
        return OpIds.inUse();
    }

    /** Op names (UUIDs) drawn from the per-thread generator so far in this JVM; 0 when it is not in use. */
    public static long opIdsDrawn() {
        return OpIds.draws();
    }

    /** Uses the lean parts, or ND4J's own ({@code false}); buffers registered with either are freed by it. */
    public static synchronized void use(boolean leanParts) {
        if (stock == null) {
            OpExecutioner executioner = Nd4j.getExecutioner();
            Object tads = executioner instanceof NativeOpExecutioner
                ? field(NativeOpExecutioner.class, "tadManager").get(executioner) : null;
            stock = new Object[] {Nd4j.getShapeInfoProvider(), tads, Nd4j.getDeallocatorService(), executioner};
            if (!(stock[0] instanceof DirectShapeInfoProvider) || !(stock[1] instanceof CpuTADManager)
                || executioner.getClass() != NativeOpExecutioner.class) {
                lean = stock; // another backend: its own parts stay
            }
        }
        if (leanParts && lean == null) {
            // -Dhpsweep.nd4j.lean.parts picks some of them (shapes,tads,pins,deallocator,contexts: all by default).
            String parts = System.getProperty("hpsweep.nd4j.lean.parts", "shapes,tads,pins,deallocator,contexts");
            boolean pins = parts.contains("pins");
            lean = new Object[] {parts.contains("shapes") ? new CachingShapeInfoProvider(pins) : stock[0],
                parts.contains("tads") ? new CachingTadManager(pins) : stock[1],
                parts.contains("deallocator") ? new LeanDeallocator() : stock[2],
                parts.contains("contexts") ? new LeanOpExecutioner((OpExecutioner) stock[3]) : stock[3]};
        }
        Object[] parts = leanParts ? lean : stock;
        set(Nd4j.class, null, "shapeInfoProvider", parts[0]);
        set(Nd4j.class, null, "deallocatorService", parts[2]);
        if (lean != null && lean != stock) {
            // Both executioners look their TADs up in the part in use.
            for (Object executioner : new Object[] {stock[3], lean[3]}) {
                set(NativeOpExecutioner.class, executioner, "tadManager", parts[1]);
            }
        }
        set(Nd4j.class, null, "OP_EXECUTIONER_INSTANCE", parts[3]);
    }

    /**
     * Opens a stretch of ND4J work on the calling thread (a trainer's epoch, its set-up, a save or a
     * restore); close it when the thread leaves ND4J. While it is open, the lean deallocator frees
     * what a collection found dead only after this thread has reached its next {@link #boundary}
     * or closed the scope: an op in flight may still use a buffer whose Java object the compiled
     * caller no longer keeps alive (seen: a SIGSEGV in libnd4j's {@code DataBuffer::primary} under
     * a broadcast, when a collection came while another trial's op ran). Scopes nest.
     */
    public static Scope ops() {
        Scope s = SCOPES.get();
        s.open();
        return s;
    }

    /**
     * The calling thread is between ND4J ops (a batch's or an evaluation chunk's end): what was
     * found dead while its ops ran may be freed now, a full collection the lean deallocator wants
     * runs here, and the process's resident-memory ceiling is checked ({@link ResidentCeiling}).
     */
    public static void boundary() {
        SCOPES.get().pass();
        if (lean != null && lean[2] instanceof LeanDeallocator d) {
            if (OWN_FREES) {
                d.reclaimOwn();
            }
            d.collectIfWanted();
        }
        ResidentCeiling.checkProcess();
    }

    /**
     * Whether a thread frees its own dead buffers at its boundaries; {@code
     * -Dhpsweep.nd4j.own.frees=false} leaves them all to the fallback thread (for the benchmark).
     */
    private static final boolean OWN_FREES = Boolean.parseBoolean(System.getProperty("hpsweep.nd4j.own.frees", "true"));

    /** Whether the calling thread is inside a scope, for tests. */
    static boolean inScope() {
        return SCOPES.get().depth > 0;
    }

    private static final ThreadLocal<Scope> SCOPES = ThreadLocal.withInitial(() -> {
        Scope s = new Scope();
        Quiescence.SCOPES.add(s);
        return s;
    });

    /** One thread's stretch of ND4J work: how deep its scopes are nested and how many boundaries it passed. */
    public static final class Scope implements AutoCloseable {
        private final Thread owner = Thread.currentThread();
        private volatile int depth;
        private volatile long passes;

        /**
         * Whether the owner may be inside an ND4J op now: inside a scope, and neither ended nor
         * waiting (parked, sleeping, in {@code Object.wait}), which a thread inside a native op is
         * not. A thread that waits inside a scope (a trainer waiting on something else) would
         * otherwise hold every thread's frees up until it wakes.
         */
        boolean mayBeInOp() {
            if (depth == 0) {
                return false;
            }
            Thread.State state = owner.getState();
            return state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING
                && state != Thread.State.TERMINATED;
        }

        void open() {
            if (depth == 0) {
                NativeThreads.onThisThread();
            }
            depth = depth + 1;
        }

        void pass() {
            passes = passes + 1;
            Quiescence.passed();
        }

        @Override
        public void close() {
            passes = passes + 1;
            depth = depth - 1;
            Quiescence.passed();
            if (depth == 0 && lean != null && lean[2] instanceof LeanDeallocator d) {
                d.handOff();
            }
        }
    }

    /**
     * Quiescent-state reclamation: {@link #await} returns once every thread that was inside a
     * {@link Scope} when it was called has passed a boundary or left its scopes, so that no op
     * running at that moment is still running.
     */
    static final class Quiescence {
        static final java.util.Set<Scope> SCOPES = ConcurrentHashMap.newKeySet();
        /** The freeing thread while it waits in {@link #await}: a boundary wakes it. */
        private static volatile Thread waiter;

        private Quiescence() {
        }

        static void await() throws InterruptedException {
            for (Scope s : SCOPES) {
                long seen = s.passes;
                if (!s.mayBeInOp()) {
                    continue;
                }
                waiter = Thread.currentThread();
                try {
                    while (s.mayBeInOp() && s.passes == seen) {
                        // Woken by the boundary; the timeout only bounds a missed wake-up.
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                    }
                } finally {
                    waiter = null;
                }
            }
        }

        /**
         * What the calling thread took, with the boundary count of each other thread that may be
         * inside an op now: it may be freed once each of them has passed a boundary or stopped.
         */
        static Pending snapshot(Scope own, java.util.List<LeanDeallocator.Ref> refs) {
            java.util.List<Scope> busy = new java.util.ArrayList<>(2);
            for (Scope s : SCOPES) {
                if (s != own && s.mayBeInOp()) {
                    busy.add(s);
                }
            }
            Scope[] scopes = busy.toArray(new Scope[0]);
            long[] passes = new long[scopes.length];
            for (int i = 0; i < scopes.length; i++) {
                passes[i] = scopes[i].passes;
            }
            // A thread that passed in between is only counted as not yet passed: safe, later.
            for (int i = 0; i < scopes.length; i++) {
                if (!scopes[i].mayBeInOp()) {
                    passes[i] = Long.MIN_VALUE;
                }
            }
            return new Pending(refs, scopes, passes);
        }

        static void passed() {
            Thread t = waiter;
            if (t != null) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }
    }

    /** References a thread took from its queue, and the threads that must pass a boundary first. */
    record Pending(java.util.List<LeanDeallocator.Ref> refs, Scope[] scopes, long[] passes) {
        boolean safe() {
            for (int i = 0; i < scopes.length; i++) {
                if (passes[i] != Long.MIN_VALUE && scopes[i].passes == passes[i] && scopes[i].mayBeInOp()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A point between ND4J ops where a full collection may run: an epoch's or a trial's end, on the
     * training thread (Dl4jTrainer calls it). With the lean deallocator it runs one when the time
     * since the last one is at least {@link EndCollections#RATIO} times what the last one took, so
     * these collections cost at most about 2% of the time, and what died in the old generation is
     * freed at least every epoch or so (docs/BENCHMARKS.md, "Memory over a long sweep").
     */
    public static void collectAtEnd() {
        if (lean != null && lean[2] instanceof LeanDeallocator d) {
            d.ends.collectIfDue(System.nanoTime(), d);
        }
    }

    /** Installs {@code service} as ND4J's deallocator service (for {@link Registrations}). */
    static synchronized void deallocatorService(DeallocatorService service) {
        set(Nd4j.class, null, "deallocatorService", service);
    }

    /** Whether the lean parts are in use in this JVM. */
    public static boolean active() {
        return Nd4j.getShapeInfoProvider() instanceof CachingShapeInfoProvider;
    }

    private static final class Slot {
        private final Field field;

        Slot(Field field) {
            this.field = field;
        }

        Object get(Object target) {
            try {
                return field.get(target);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Slot field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return new Slot(f);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach ND4J's " + owner.getName() + "." + name
                + ": run with -Dhpsweep.nd4j.lean=false", e);
        }
    }

    private static void set(Class<?> owner, Object target, String name, Object value) {
        try {
            field(owner, name).field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set ND4J's " + owner.getName() + "." + name
                + ": run with -Dhpsweep.nd4j.lean=false", e);
        }
    }

    /** Shape descriptors as content, for keys. */
    private record Key(long[] a, long[] b, long c, int d) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && c == k.c && d == k.d && Arrays.equals(a, k.a) && Arrays.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * Arrays.hashCode(a) + Arrays.hashCode(b)) + Long.hashCode(c)) + d;
        }
    }

    /** Caches the shape-info overload every {@code BaseNDArray} constructor calls. */
    static final class CachingShapeInfoProvider extends DirectShapeInfoProvider {
        private final Map<Key, Pair<DataBuffer, long[]>> cache = new ConcurrentHashMap<>();
        /** Whether what it caches is a {@link PinnedLongBuffer} (its address pointer made once). */
        private final boolean pins;

        CachingShapeInfoProvider(boolean pins) {
            this.pins = pins;
        }

        @Override
        public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                               char order, DataType dataType, boolean empty) {
            Key key = new Key(shape, stride, elementWiseStride, (order << 16) ^ (dataType.ordinal() << 1) ^ (empty ? 1 : 0));
            Pair<DataBuffer, long[]> hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
            Pair<DataBuffer, long[]> made = super.createShapeInformation(shape, stride, elementWiseStride, order,
                dataType, empty);
            if (cache.size() >= MAX_ENTRIES) {
                return made;
            }
            if (pins) {
                made = Pair.create(PinnedLongBuffer.of(made.getFirst()), made.getSecond());
            }
            // The caller may change its arrays later; the key keeps copies.
            Pair<DataBuffer, long[]> raced = cache.putIfAbsent(new Key(shape.clone(), stride.clone(), key.c(), key.d()),
                made);
            return raced != null ? raced : made;
        }

        int size() {
            return cache.size();
        }
    }

    /**
     * ND4J's deallocator service with the same rule and less work per registration: a weak
     * reference to the buffer that holds only what freeing needs, kept reachable in the registering
     * thread's {@link Lane} (an array and a reference queue) until it is taken from that
     * queue and deallocated, exactly once, and unlinked. A training thread takes its own lane's at
     * each {@link Nd4jRuntime#boundary} ({@link #reclaimOwn}) and frees them there once every other
     * thread that may have been inside an op has passed a boundary; a fallback thread takes, every
     * {@link #FALLBACK_MILLIS}, whatever is left (threads that pass no boundaries, or left their
     * scopes) and frees it after {@link Quiescence#await}. The base class's own two threads start
     * and stay idle on their empty queues.
     *
     * <p>A buffer's native memory is freed only once the JVM's collector finds the buffer
     * unreachable. Young collections find the short-lived ones, but buffers whose Java objects were
     * promoted to the old generation (a trial's network, and arrays that happened to be live across
     * two young collections: the references waiting here fill the survivor space, so the tenuring
     * threshold drops to 1) wait for a full collection. ND4J's own service makes so much garbage of
     * its own (id strings, map nodes) that the old generation fills and full collections come every
     * few seconds; this one makes almost none, so without help none would come and their native
     * memory would pile up (~4.5 MB per epoch of a small MLP: docs/BENCHMARKS.md). So full
     * collections run at epochs' and trials' ends, on the training thread, within a time budget
     * ({@link EndCollections}, {@link Nd4jRuntime#collectAtEnd}): that keeps a long sweep's memory
     * flat. For long epochs it also counts the native bytes of what it holds ({@link Pressure}) and
     * wants a full collection when they have doubled since the last one, as JavaCPP does past its
     * {@code maxbytes}; a training thread runs that between batches ({@link Nd4jRuntime#boundary}).
     */
    static final class LeanDeallocator extends DeallocatorService {
        /** How often the fallback thread takes what no training thread took at a boundary. */
        static final long FALLBACK_MILLIS = 50;
        /** Native bytes assumed per registration besides its data: libnd4j's buffer wrappers, op contexts. */
        static final long OVERHEAD = 256;
        /** Each registering thread's lane: its registrations and the queue their references come back on. */
        private final ThreadLocal<Lane> lanes = ThreadLocal.withInitial(this::newLane);
        private final java.util.Set<Lane> allLanes = ConcurrentHashMap.newKeySet();
        /** Used by the fallback thread only. */
        private final NativeFree nativeFree = new NativeFree();
        private final Pressure pressure;
        private final long fallbackMillis;
        /** Taken by a thread that then left its scopes before it could free them: the fallback frees them. */
        private final java.util.concurrent.ConcurrentLinkedQueue<Ref> handed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        /** References taken from the queues so far, by any thread: a new collection has found some dead. */
        private final java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
        private volatile long collections;
        private volatile boolean wanted;
        final EndCollections ends = new EndCollections();

        LeanDeallocator() {
            this(Long.getLong("hpsweep.nd4j.gc.bytes", Pressure.FLOOR));
        }

        /** @param floorBytes native bytes held below which it never asks for a collection */
        LeanDeallocator(long floorBytes) {
            this(floorBytes, FALLBACK_MILLIS);
        }

        /** @param fallbackMillis how often the fallback thread looks (tests lengthen it) */
        LeanDeallocator(long floorBytes, long fallbackMillis) {
            this.fallbackMillis = fallbackMillis;
            pressure = new Pressure(floorBytes);
            Thread t = new Thread(this::free, "hpsweep-nd4j-deallocator");
            t.setDaemon(true);
            t.start();
        }

        private Lane newLane() {
            Lane lane = new Lane();
            allLanes.add(lane);
            return lane;
        }

        /** Ids handed to a thread at a time; the first is far above any ND4J's own service hands out. */
        static final long ID_BLOCK = 4096;
        private static final long FIRST_ID = 1L << 62;
        private final java.util.concurrent.atomic.AtomicLong idBlocks = new java.util.concurrent.atomic.AtomicLong();
        private final ThreadLocal<long[]> ids = ThreadLocal.withInitial(() -> new long[2]);

        /**
         * A unique id (ND4J names each buffer and op context by one): from a block of the calling
         * thread's, where ND4J's own service increments one counter all threads share for every
         * buffer, a cache line that moves between cores with each.
         */
        @Override
        public long nextValue() {
            long[] range = ids.get();
            if (range[0] == range[1]) {
                range[0] = FIRST_ID + idBlocks.getAndAdd(ID_BLOCK);
                range[1] = range[0] + ID_BLOCK;
            }
            return range[0]++;
        }

        @Override
        public void pickObject(Deallocatable deallocatable) {
            Lane lane = lanes.get();
            long bytes = bytes(deallocatable);
            Pointer wrapped = NativeFree.wrapped(deallocatable);
            byte kind = NativeFree.kind(deallocatable, wrapped);
            lane.add(kind == NativeFree.HELD
                ? new HeldRef(deallocatable, deallocatable.deallocator(), lane.queue, lane, bytes)
                : new Ref(deallocatable, lane.queue, lane, bytes, wrapped.address(), kind));
        }

        /**
         * The native bytes freeing {@code d} gives back, roughly: its data when it owns them (not a
         * view, not in a workspace), plus the wrappers. Plain field reads, as the buffer is still in
         * its constructor.
         */
        static long bytes(Deallocatable d) {
            if (d instanceof DataBuffer b && !b.isAttached() && b.underlyingDataBuffer() == null
                && b.originalDataBuffer() == null) {
                return OVERHEAD + b.length() * b.getElementSize();
            }
            return OVERHEAD;
        }

        /**
         * At a training thread's boundary (it is between ops): frees what it registered and a
         * collection found dead, once every other thread that may have been inside an op when the
         * references were taken has passed a boundary since. Freeing on the thread that allocated
         * lets glibc's per-thread cache take the memory back and hand it to that thread's next
         * allocations, where a freeing thread of its own made every free and every allocation take
         * an arena's lock (docs/BENCHMARKS.md, "Frees on the training thread"). What a thread
         * leaves (it stops passing boundaries) the fallback thread takes.
         */
        void reclaimOwn() {
            Lane lane = lanes.get();
            lane.freeSafe();
            Ref first = (Ref) lane.queue.poll();
            if (first == null) {
                return;
            }
            java.util.List<Ref> batch = new java.util.ArrayList<>();
            batch.add(first);
            for (Ref more = (Ref) lane.queue.poll(); more != null; more = (Ref) lane.queue.poll()) {
                batch.add(more);
            }
            taken.addAndGet(batch.size());
            Scope own = SCOPES.get();
            Pending p = Quiescence.snapshot(own, batch);
            if (p.safe()) {
                lane.free(batch);
            } else if (own.depth == 0) {
                handed.addAll(batch); // outside a scope no close will hand it off later
            } else {
                lane.pending.add(p);
            }
        }

        /**
         * The calling thread leaves its outermost scope (an epoch's end): what it took but may not
         * free yet goes to the fallback thread, so an idle pool thread holds nothing back.
         */
        void handOff() {
            Lane lane = lanes.get();
            lane.freeSafe();
            for (Pending p = lane.pending.poll(); p != null; p = lane.pending.poll()) {
                handed.addAll(p.refs());
            }
        }

        /**
         * The fallback: every {@link #FALLBACK_MILLIS}, takes what is still on any lane's queue,
         * waits until no op that was running then still runs ({@link Quiescence}), frees it, and,
         * when a collection has found something dead since the last reading, checks the pressure.
         */
        private void free() {
            java.util.List<Ref> batch = new java.util.ArrayList<>();
            long readAt = -1;
            while (true) {
                try {
                    Thread.sleep(fallbackMillis);
                    for (Lane lane : allLanes) {
                        // A thread inside a scope that passed a boundary since the last look takes its own.
                        long passes = lane.scope.passes;
                        boolean active = lane.scope.depth > 0 && passes != lane.seenPasses;
                        lane.seenPasses = passes;
                        for (Ref r = active ? null : (Ref) lane.queue.poll(); r != null; r = (Ref) lane.queue.poll()) {
                            batch.add(r);
                        }
                        if (!lane.owner.isAlive()) {
                            // Its owner is gone, so nothing else reads its pending batches now.
                            for (Pending p = lane.pending.poll(); p != null; p = lane.pending.poll()) {
                                handed.addAll(p.refs());
                            }
                            if (lane.isEmpty()) {
                                allLanes.remove(lane);
                            }
                        }
                    }
                    taken.addAndGet(batch.size());
                    for (Ref r = handed.poll(); r != null; r = handed.poll()) {
                        batch.add(r);
                    }
                    if (!batch.isEmpty()) {
                        Quiescence.await();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                freeAll(batch, nativeFree);
                batch.clear();
                // What is still held now is live, dead in a generation no collection has visited, or
                // found dead and not yet freed.
                long t = taken.get();
                if (t != readAt) {
                    readAt = t;
                    if (pressure.collectAfterDrain(held(), System.nanoTime())) {
                        wanted = true;
                    }
                }
            }
        }

        /** References the calling thread took and may not free yet, for tests. */
        int pending() {
            int n = 0;
            for (Pending p : lanes.get().pending) {
                n += p.refs().size();
            }
            return n;
        }

        /** Registered buffers not yet freed, for tests. */
        long registered() {
            long n = 0;
            for (Lane s : allLanes) {
                synchronized (s) {
                    n += s.size;
                }
            }
            return n;
        }

        /**
         * Deallocates each of {@code refs} and unlinks it; one that fails (a deallocator of someone
         * else's that throws) is logged and unlinked, and the others are still freed.
         */
        static void freeAll(java.util.List<Ref> refs, NativeFree free) {
            for (Ref r : refs) {
                try {
                    r.deallocate(free);
                } catch (RuntimeException | LinkageError e) {
                    org.slf4j.LoggerFactory.getLogger(LeanDeallocator.class).warn("a native buffer's deallocation failed", e);
                } finally {
                    r.lane.remove(r);
                }
            }
        }

        /** Registered by {@code thread} and not yet freed, for tests. */
        long registeredBy(Thread thread) {
            for (Lane s : allLanes) {
                if (s.owner == thread) {
                    synchronized (s) {
                        return s.size;
                    }
                }
            }
            return 0;
        }

        /** Native bytes (as {@link #bytes} counts them) of the registered buffers not yet freed. */
        long held() {
            long n = 0;
            for (Lane s : allLanes) {
                synchronized (s) {
                    n += s.bytes;
                }
            }
            return n;
        }

        /** Full collections run for this service. */
        long collections() {
            return collections;
        }

        /**
         * Runs the full collection this service wants, if any, on the calling thread. Not from the
         * freeing thread: a collection there runs while training threads are inside native ops,
         * which ND4J's own collections (triggered by the training thread's allocations) never do.
         * A sweep with it so crashed once in libnd4j ({@code DataBuffer::primary} in a broadcast,
         * after 160 trials), presumably on a buffer the JIT no longer held but the op still used.
         */
        void collectIfWanted() {
            if (wanted) {
                collect();
            }
        }

        /** A full collection now, on the calling thread; returns its duration in nanoseconds. */
        long collect() {
            wanted = false;
            collections++;
            long start = System.nanoTime();
            System.gc();
            long took = System.nanoTime() - start;
            ends.ran(start, took);
            return took;
        }

        /**
         * A registration. For ND4J's CPU data buffers and op contexts, whose deallocators only delete
         * one native object, it keeps that object's address instead of the deallocator: the reference
         * outlives its buffer until the freeing thread takes it, so whatever it holds is copied by
         * the young collection that finds the buffer dead. Holding the deallocator (and, through it,
         * the {@code OpaqueDataBuffer} pointer object) made 120 bytes to copy per buffer; with the address
         * it is this object's 64 (docs/BENCHMARKS.md, "What a young collection copies").
         */
        static class Ref extends WeakReference<Deallocatable> {
            final Lane lane;
            final long bytes;
            final long address;
            final byte kind;
            /** Its index in its lane's array while registered; -1 once removed. */
            int slot = -1;

            Ref(Deallocatable referent, ReferenceQueue<Deallocatable> queue, Lane lane, long bytes, long address,
                byte kind) {
                super(referent, queue);
                this.lane = lane;
                this.bytes = bytes;
                this.address = address;
                this.kind = kind;
            }

            void deallocate(NativeFree free) {
                free.delete(kind, address);
            }
        }

        /** Any other Deallocatable: its own deallocator, held. */
        private static final class HeldRef extends Ref {
            final Deallocator deallocator;

            HeldRef(Deallocatable referent, Deallocator deallocator, ReferenceQueue<Deallocatable> queue, Lane lane,
                    long bytes) {
                super(referent, queue, lane, bytes, 0, NativeFree.HELD);
                this.deallocator = deallocator;
            }

            @Override
            void deallocate(NativeFree free) {
                deallocator.deallocate();
            }
        }

        /**
         * One registering thread's references, kept reachable in an array until freed,
         * the queue they come back on, and (used by the owner only) what it took but may not free yet.
         */
        private static final class Lane {
            static final int INITIAL_SLOTS = 4096;
            final Thread owner = Thread.currentThread();
            /** The owner's scope: the fallback leaves the lane of an owner that passes boundaries to it. */
            final Scope scope = SCOPES.get();
            /** Read and written by the fallback thread only. */
            long seenPasses = -1;
            final ReferenceQueue<Deallocatable> queue = new ReferenceQueue<>();
            final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
            private NativeFree ownFree;
            /**
             * The registered references, in an array rather than linked to each other: a young
             * collection copies every reference made since the last one (tens of thousands), and
             * a chain of them is traversed one link at a time, where an array's slots are scanned
             * by both collector threads in parallel (docs/BENCHMARKS.md, "Young collections").
             */
            private Ref[] slots = new Ref[INITIAL_SLOTS];
            private int size;
            private long bytes;

            /** Frees, on the owner, the oldest of its taken batches that are now safe. */
            void freeSafe() {
                while (!pending.isEmpty() && pending.peekFirst().safe()) {
                    free(pending.pollFirst().refs());
                }
            }

            void free(java.util.List<Ref> refs) {
                if (ownFree == null) {
                    ownFree = new NativeFree();
                }
                freeAll(refs, ownFree);
            }

            /** Nothing registered and not freed (so nothing queued or pending either). */
            synchronized boolean isEmpty() {
                return size == 0;
            }

            synchronized void add(Ref r) {
                if (size == slots.length) {
                    slots = java.util.Arrays.copyOf(slots, 2 * slots.length);
                }
                r.slot = size;
                slots[size++] = r;
                bytes += r.bytes;
            }

            /** Unlinks {@code r}: the last slot's reference takes its place (a second removal does nothing). */
            synchronized void remove(Ref r) {
                int i = r.slot;
                if (i < 0) {
                    return;
                }
                Ref last = slots[--size];
                slots[i] = last;
                last.slot = i;
                slots[size] = null;
                r.slot = -1;
                if (size < slots.length / 4 && slots.length > INITIAL_SLOTS) {
                    slots = java.util.Arrays.copyOf(slots, slots.length / 2);
                }
                bytes -= r.bytes;
            }
        }
    }

    /**
     * What ND4J's {@code CpuDeallocator} and {@code CpuOpContextDeallocator} do, from an address:
     * {@code deleteDataBuffer} and {@code deleteGraphContext} on the native object the buffer or
     * context wrapped when it registered: the very pointer those deallocators read when ND4J's own
     * service creates them, at registration. One instance per freeing thread: its two pointers are
     * re-aimed for each call.
     */
    static final class NativeFree {
        static final byte BUFFER = 0;
        static final byte CONTEXT = 1;
        static final byte HELD = 2;
        /** Whether a class frees as ND4J's own CPU buffer or op context does (does not override {@code deallocator()}). */
        static final ClassValue<Boolean> STOCK = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                try {
                    Class<?> owner = type.getMethod("deallocator").getDeclaringClass();
                    return owner == BaseCpuDataBuffer.class || owner == CpuOpContext.class;
                } catch (NoSuchMethodException e) {
                    return false;
                }
            }
        };
        private final NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();

        /** How {@code d} is freed: by the address of a CPU buffer's or op context's native object, or by its own deallocator. */
        static byte kind(Deallocatable d) {
            return kind(d, wrapped(d));
        }

        /** The same, given {@code wrapped(d)}: registration looks it up once. */
        static byte kind(Deallocatable d, Pointer wrapped) {
            if (wrapped == null || wrapped.isNull()) {
                return HELD;
            }
            return d instanceof CpuOpContext ? CONTEXT : BUFFER;
        }

        /** The native object a stock CPU buffer or op context wraps, or null for anything else. */
        static Pointer wrapped(Deallocatable d) {
            if (d instanceof BaseCpuDataBuffer b && STOCK.get(b.getClass())) {
                return b.getOpaqueDataBuffer();
            }
            if (d instanceof CpuOpContext c && STOCK.get(c.getClass())) {
                return c.contextPointer();
            }
            return null;
        }
        private final Buffer buffer = new Buffer();
        private final Context context = new Context();

        void delete(byte kind, long address) {
            if (kind == NativeFree.BUFFER) {
                ops.deleteDataBuffer(buffer.at(address));
            } else {
                ops.deleteGraphContext(context.at(address));
            }
        }

        private static final class Buffer extends OpaqueDataBuffer {
            Buffer() {
                super((Pointer) null);
            }

            Buffer at(long a) {
                address = a;
                return this;
            }
        }

        private static final class Context extends OpaqueContext {
            Context() {
                super((Pointer) null);
            }

            Context at(long a) {
                address = a;
                return this;
            }
        }
    }

    /**
     * When the lean deallocator asks for a full collection. Each reading is the native bytes it
     * still holds when the reference queue has just been drained: live buffers, buffers dead in the
     * old generation, and what the training threads allocated since the last young collection (that
     * part comes and goes: seen from 1 to 46 MB between neighbouring readings). The least of the last
     * {@link #RECENT} readings leaves out most of that noise; once it exceeds twice what the last full
     * collection left (and at least {@code floor}), it asks, at most once a second. What a full
     * collection left is the least of the {@link #RECENT} readings after it.
     */
    static final class Pressure {
        /** 32 MiB: a small MLP's sweep then collects about every 12-18 one-epoch trials (docs/BENCHMARKS.md). */
        static final long FLOOR = 32L << 20;
        static final long MIN_INTERVAL_NANOS = 1_000_000_000L;
        static final int RECENT = 4;
        private final long floor;
        private final long[] recent = new long[RECENT];
        private int readings;
        private long limit;
        private boolean measuring;
        private long lastNanos;
        private boolean asked;

        Pressure(long floor) {
            this.floor = floor;
            this.limit = floor;
        }

        /** Called with the bytes held when the reference queue has just been drained. */
        synchronized boolean collectAfterDrain(long held, long nanos) {
            recent[readings++ % RECENT] = held;
            if (readings < RECENT) {
                return false;
            }
            long least = Long.MAX_VALUE;
            for (long r : recent) {
                least = Math.min(least, r);
            }
            if (measuring) {
                measuring = false;
                limit = Math.max(floor, 2 * least);
                return false;
            }
            if (least <= limit || (asked && nanos - lastNanos < MIN_INTERVAL_NANOS)) {
                return false;
            }
            asked = true;
            lastNanos = nanos;
            measuring = true;
            readings = 0;
            return true;
        }

        synchronized long limit() {
            return limit;
        }
    }

    /**
     * When a full collection runs at an epoch's or a trial's end: once the time since the end of the
     * last full collection (any of the lean deallocator's) is at least {@link #RATIO} times its
     * duration. The first one is due at once. Two trials reaching an end together run one.
     */
    static final class EndCollections {
        static final long RATIO = 50;
        private long lastEnd = Long.MIN_VALUE;
        private long lastDuration;
        /** One is claimed and not yet over: a second trial at its end meanwhile does not run another. */
        private boolean running;

        synchronized boolean due(long nanos) {
            return !running && (lastEnd == Long.MIN_VALUE || nanos - lastEnd >= RATIO * lastDuration);
        }

        synchronized void ran(long start, long took) {
            lastEnd = start + took;
            lastDuration = took;
            running = false;
        }

        /** Claims the collection if it is due; the claimant runs it and reports {@link #ran}. */
        synchronized boolean claim(long nanos) {
            if (!due(nanos)) {
                return false;
            }
            running = true;
            return true;
        }

        void collectIfDue(long nanos, LeanDeallocator deallocator) {
            if (claim(nanos)) {
                deallocator.collect();
            }
        }
    }

    /** Caches TAD shape and offset buffers by the array's full shape information and the dimensions. */
    static final class CachingTadManager extends CpuTADManager {
        private final Map<Key, Pair<DataBuffer, DataBuffer>> cache = new ConcurrentHashMap<>();
        /** Whether what it caches are {@link PinnedLongBuffer} views of libnd4j's buffers (their address pointers made once). */
        private final boolean pins;

        CachingTadManager(boolean pins) {
            this.pins = pins;
        }

        @Override
        public Pair<DataBuffer, DataBuffer> getTADOnlyShapeInfo(INDArray array, int[] dimension) {
            long[] dims = dimensions(dimension);
            Key key = new Key(array.shapeInfoJava(), dims, 0, 0);
            Pair<DataBuffer, DataBuffer> hit = cache.get(key);
            if (hit != null) {
                if (dimension != null && dimension.length > 1) {
                    Arrays.sort(dimension); // as ND4J's does to its argument
                }
                return hit;
            }
            Pair<DataBuffer, DataBuffer> made = super.getTADOnlyShapeInfo(array, dimension);
            if (cache.size() >= MAX_ENTRIES) {
                return made;
            }
            if (pins) {
                made = Pair.create(PinnedLongBuffer.of(made.getFirst()), PinnedLongBuffer.of(made.getSecond()));
            }
            Pair<DataBuffer, DataBuffer> raced = cache.putIfAbsent(new Key(array.shapeInfoJava().clone(), dims, 0, 0),
                made);
            return raced != null ? raced : made;
        }

        /** The dimensions, sorted, as a key's part (every op over a TAD asks: no stream here). */
        private static long[] dimensions(int[] dimension) {
            if (dimension == null) {
                return new long[] {Integer.MAX_VALUE};
            }
            long[] dims = new long[dimension.length];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = dimension[i];
            }
            if (dims.length > 1) {
                Arrays.sort(dims);
            }
            return dims;
        }

    }
}
