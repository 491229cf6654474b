package dev.hpsweep.train;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.cpu.nativecpu.buffer.LongBuffer;

/**
 * A constant buffer of longs (shape information, TAD shapes and offsets, as {@link Nd4jRuntime}'s caches
 * keep them) whose address pointer is made once. ND4J 1.0.0-M2.1's {@code addressPointer()} asks
 * libnd4j for the primary buffer twice and wraps the answer in three new pointer objects on every
 * call, and every op asks it of each argument's shape information: 26% of the bytes a 2-trial MLP
 * sweep allocated on the Java heap (JFR, docs/BENCHMARKS.md "Shape pointers made once"). A cached
 * buffer's contents never change and its memory is never moved, so one pointer serves every call.
 * Callers pass it to native code, which reads its address; none in ND4J or DL4J moves its position.
 */
final class PinnedLongBuffer extends LongBuffer {
    private final Pointer pinned;

    /** A constant copy of {@code values}, in memory of its own. */
    PinnedLongBuffer(long[] values) {
        super(values, true);
        setConstant(true);
        pinned = super.addressPointer();
    }

    @Override
    public Pointer addressPointer() {
        return pinned;
    }
}
