package dev.hpsweep.train;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.cpu.nativecpu.CpuTADManager;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java-side caches ND4J 1.0.0-M2.1 lacks on the CPU backend, installed once per JVM.
 *
 * <p>Every new INDArray (each op's output, each view, each scalar) asks the shape-info provider
 * for its shape buffer through an overload {@code DirectShapeInfoProvider} does not cache, and
 * every reduce or broadcast op asks {@code CpuTADManager}, whose cache is commented out, for two
 * TAD buffers. Each answer costs two JavaCPP pointers, a JNI call, a new {@code LongBuffer} wrapped
 * around memory libnd4j already caches natively, and a registration with ND4J's deallocator
 * (strings, a shared map, a weak reference, a later native delete): the JFR profile of a small MLP
 * epoch put about half its samples there (docs/BENCHMARKS.md). The answers depend only on the
 * arguments and point into libnd4j's own constant caches, so caching them here returns the very
 * same buffers: results are bit-identical (GoldenSweepTest) and memory grows by a few KB.
 *
 * <p>{@code -Dhpsweep.nd4j.caches=false} leaves ND4J as it is (for benchmarks and bisecting).
 */
public final class Nd4jCaches {
    /** Distinct shapes (and TAD requests) cached at most; beyond that ND4J's own path answers. */
    static final int MAX_ENTRIES = 20_000;
    private static boolean installed;

    private Nd4jCaches() {
    }

    /** Installs the caches unless {@code hpsweep.nd4j.caches=false}; idempotent. */
    public static synchronized void install() {
        if (installed || !Boolean.parseBoolean(System.getProperty("hpsweep.nd4j.caches", "true"))) {
            return;
        }
        OpExecutioner executioner = Nd4j.getExecutioner();
        if (!(Nd4j.getShapeInfoProvider() instanceof DirectShapeInfoProvider)) {
            installed = true;
            return; // another backend: its own providers stay
        }
        set(Nd4j.class, null, "shapeInfoProvider", new CachingShapeInfoProvider());
        set(executioner.getClass(), executioner, "tadManager", new CachingTadManager());
        installed = true;
    }

    /** Whether {@link #install} replaced ND4J's providers in this JVM. */
    public static boolean active() {
        return Nd4j.getShapeInfoProvider() instanceof CachingShapeInfoProvider;
    }

    private static void set(Class<?> owner, Object target, String name, Object value) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            f.set(target, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot install hpsweep's ND4J caches (" + owner.getName() + "." + name
                + "): run with -Dhpsweep.nd4j.caches=false", e);
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
            // The caller may change its arrays later; the key keeps copies.
            Pair<DataBuffer, long[]> raced = cache.putIfAbsent(new Key(shape.clone(), stride.clone(), key.c(), key.d()),
                made);
            return raced != null ? raced : made;
        }

        int size() {
            return cache.size();
        }
    }

    /** Caches TAD shape and offset buffers by the array's full shape information and the dimensions. */
    static final class CachingTadManager extends CpuTADManager {
        private final Map<Key, Pair<DataBuffer, DataBuffer>> cache = new ConcurrentHashMap<>();

        @Override
        public Pair<DataBuffer, DataBuffer> getTADOnlyShapeInfo(INDArray array, int[] dimension) {
            long[] dims = dimension == null ? new long[] {Integer.MAX_VALUE}
                : Arrays.stream(dimension).sorted().asLongStream().toArray();
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
            Pair<DataBuffer, DataBuffer> raced = cache.putIfAbsent(new Key(array.shapeInfoJava().clone(), dims, 0, 0),
                made);
            return raced != null ? raced : made;
        }
    }
}
