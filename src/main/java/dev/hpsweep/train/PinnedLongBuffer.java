package dev.hpsweep.train;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.cpu.nativecpu.buffer.LongBuffer;

/**
 * A constant buffer of longs (shape information, TAD shapes and offsets, as {@link Nd4jRuntime}'s caches
 * keep them) whose address pointer is made once. ND4J 1.0.0-M2.1's {@code addressPointer()} asks
 * libnd4j for the primary buffer twice and wraps the answer in three new pointer objects on every
 * call, and every op asks it of each argument's shape information: 26% of the bytes a 2-trial MLP
 * sweep allocated on the Java heap (JFR, docs/BENCHMARKS.md "Shape pointers made once"). A cached
 * buffer's contents never change and its memory is never moved, so one pointer serves every call.
 * Callers pass it to native code, which reads its address; none in ND4J or DL4J moves its position.
 * It views the cached buffer's own memory, so the cache holds no second copy.
 */
final class PinnedLongBuffer extends LongBuffer {
    /** Owns the memory (a shape buffer's JavaCPP allocation) or stands for libnd4j's cache that does. */
    private final DataBuffer original;
    private final Pointer pinned;

    /** A constant view of {@code original}'s memory (no copy), which stays reachable through it. */
    private PinnedLongBuffer(DataBuffer original) {
        super(original.addressPointer(), original.length());
        this.original = original;
        setConstant(true);
        pinned = super.addressPointer();
    }

    /**
     * {@code buffer} seen through one pointer; null, a buffer of another type, one with an
     * offset, or an empty one as it is.
     */
    static DataBuffer of(DataBuffer buffer) {
        if (buffer == null || buffer instanceof PinnedLongBuffer || buffer.dataType() != DataType.LONG
            || buffer.offset() != 0 || buffer.length() == 0 || buffer.addressPointer() == null) {
            return buffer;
        }
        return new PinnedLongBuffer(buffer);
    }

    @Override
    public Pointer addressPointer() {
        return pinned;
    }

    /** What it views, for tests. */
    DataBuffer original() {
        return original;
    }
}
