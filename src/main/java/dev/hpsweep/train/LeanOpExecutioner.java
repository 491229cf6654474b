package dev.hpsweep.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.ExecutionMode;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.cpu.nativecpu.ops.CpuOpContext;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's CPU executioner, except that {@code exec(CustomOp)} runs each op in one op context per
 * thread, cleared and reused, instead of a new one per op. ND4J 1.0.0-M2.1 builds a
 * {@link CpuOpContext} for every custom op it runs that way and drops it right after (its
 * {@code close()} does nothing): a native graph context created and later deleted, a dozen Java
 * objects, and a registration with the deallocator service that a young collection must discover and a
 * freeing thread must act on. A depth-6 MLP's training batch ran 77 of them, 22% of the 349 objects
 * it registered (docs/BENCHMARKS.md, "One op context per thread").
 *
 * <p>The reused context is handed out only to the {@code buildContext()} that
 * {@code exec(CustomOp)} makes itself, which sets every input, output and flag an op reads from it
 * (rng state, in-place mark, arrays) and keeps it for that op alone. Whatever else that op left in it
 * (its arguments, the shape-function override) is cleared when the op is done, with its arrays, so
 * it neither keeps arrays alive nor leaks an argument into the next op. Anyone else's
 * {@code buildContext()} (a helper that keeps its contexts, SameDiff) and an op run from inside
 * another op's execution (a profiler's checks) get a new context, as before.
 */
final class LeanOpExecutioner extends NativeOpExecutioner {
    private final ThreadLocal<Lease> leases = ThreadLocal.withInitial(Lease::new);

    @Override
    public INDArray[] exec(CustomOp op) {
        Lease lease = leases.get();
        if (lease.armed || lease.lent) {
            return super.exec(op);
        }
        lease.armed = true;
        try {
            return super.exec(op);
        } finally {
            lease.armed = false;
            if (lease.lent) {
                lease.lent = false;
                lease.context.clear();
            }
        }
    }

    @Override
    public OpContext buildContext() {
        Lease lease = leases.get();
        if (lease.armed) {
            lease.armed = false;
            if (lease.context == null) {
                lease.context = new Reused();
            }
            lease.lent = true;
            return lease.context;
        }
        return super.buildContext();
    }

    private volatile java.util.Map<String, CustomOpDescriptor> descriptors;

    /**
     * With the stock executioner's debug, verbose and profiling flags (ND4J sets them on it at
     * start-up); the fields themselves, as the setters would also reset the global profiler.
     */
    LeanOpExecutioner(org.nd4j.linalg.api.ops.executioner.OpExecutioner stock) {
        debug.set(stock.isDebug());
        verbose.set(stock.isVerbose());
        profilingMode = stock.getProfilingMode();
    }

    /**
     * libnd4j's op descriptors, read once. Every new custom op asks for them to find its hash, and
     * ND4J's method is synchronized on the executioner: a lock both training threads took for
     * every op.
     */
    @Override
    public java.util.Map<String, CustomOpDescriptor> getCustomOperations() {
        java.util.Map<String, CustomOpDescriptor> ops = descriptors;
        if (ops == null) {
            ops = super.getCustomOperations(); // built once by ND4J and kept; only read from then on
            descriptors = ops;
        }
        return ops;
    }

    /** Built by {@code exec(CustomOp)} this many times on the calling thread since it started, for tests. */
    long reusesOnThisThread() {
        Reused c = leases.get().context;
        return c == null ? 0 : c.uses;
    }

    /** One thread's context and whether {@code exec(CustomOp)} is about to build it or has it now. */
    private static final class Lease {
        boolean armed;
        boolean lent;
        Reused context;
    }

    /**
     * A CPU op context that remembers which of the settings a fresh native context starts without
     * an op gave it, so that {@link #clear} can take them back. It frees as ND4J's own context does
     * (its native object by address, once its thread is gone).
     */
    static final class Reused extends CpuOpContext {
        private final NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        private boolean iArgs;
        private boolean tArgs;
        private boolean bArgs;
        private boolean dArgs;
        private boolean shapeOverride;
        private boolean helpersForbidden;
        private boolean modeSet;
        /** The arrays as lists, built once per op: ND4J asks for the outputs three times an op and for the inputs once. */
        private final java.util.ArrayList<INDArray> inputs = new java.util.ArrayList<>();
        private final java.util.ArrayList<INDArray> outputs = new java.util.ArrayList<>();
        private boolean inputsListed;
        private boolean outputsListed;
        long uses;

        @Override
        public void setInputArray(int index, INDArray array) {
            super.setInputArray(index, array);
            inputsListed = false;
        }

        @Override
        public void setOutputArray(int index, INDArray array) {
            super.setOutputArray(index, array);
            outputsListed = false;
        }

        @Override
        public void purge() {
            super.purge();
            inputs.clear();
            outputs.clear();
            inputsListed = false;
            outputsListed = false;
        }

        /**
         * As ND4J's: the arrays at 0, 1, ... up to the first index without one. The list is this
         * context's own, valid until its arrays change; only {@code exec(CustomOp)} sees it, and it reads it at once.
         */
        @Override
        public java.util.List<INDArray> getInputArrays() {
            if (!inputsListed) {
                listed(fastpath_in, inputs);
                inputsListed = true;
            }
            return inputs;
        }

        @Override
        public java.util.List<INDArray> getOutputArrays() {
            if (!outputsListed) {
                listed(fastpath_out, outputs);
                outputsListed = true;
            }
            return outputs;
        }

        private static void listed(java.util.Map<Integer, INDArray> arrays, java.util.ArrayList<INDArray> into) {
            into.clear();
            for (int i = 0; ; i++) {
                INDArray a = arrays.get(i);
                if (a == null) {
                    return;
                }
                into.add(a);
            }
        }

        /** Argument buffers kept from op to op (libnd4j copies the values): ND4J allocates a JavaCPP pointer for each. */
        private org.bytedeco.javacpp.LongPointer longArgs = new org.bytedeco.javacpp.LongPointer(16);
        private org.bytedeco.javacpp.DoublePointer doubleArgs = new org.bytedeco.javacpp.DoublePointer(16);

        @Override
        public void setIArguments(long... arguments) {
            if (arguments.length == 0) {
                return; // as ND4J's: nothing set
            }
            fastpath_i.clear();
            for (long a : arguments) {
                fastpath_i.add(a);
            }
            if (arguments.length > longArgs.capacity()) {
                longArgs = new org.bytedeco.javacpp.LongPointer(arguments.length);
            }
            longArgs.put(arguments, 0, arguments.length);
            ops.setGraphContextIArguments(opaque(), longArgs, arguments.length);
            iArgs = true;
        }

        @Override
        public void setTArguments(double... arguments) {
            if (arguments.length == 0) {
                return;
            }
            fastpath_t.clear();
            for (double a : arguments) {
                fastpath_t.add(a);
            }
            if (arguments.length > doubleArgs.capacity()) {
                doubleArgs = new org.bytedeco.javacpp.DoublePointer(arguments.length);
            }
            doubleArgs.put(arguments, 0, arguments.length);
            ops.setGraphContextTArguments(opaque(), doubleArgs, arguments.length);
            tArgs = true;
        }

        private org.nd4j.nativeblas.OpaqueContext opaque() {
            return (org.nd4j.nativeblas.OpaqueContext) contextPointer();
        }

        @Override
        public void setBArguments(boolean... arguments) {
            super.setBArguments(arguments);
            bArgs |= arguments.length > 0;
        }

        @Override
        public void setDArguments(DataType... arguments) {
            super.setDArguments(arguments);
            dArgs |= arguments.length > 0;
        }

        @Override
        public void shapeFunctionOverride(boolean reallyOverride) {
            super.shapeFunctionOverride(reallyOverride);
            shapeOverride = reallyOverride;
        }

        @Override
        public void allowHelpers(boolean reallyAllow) {
            super.allowHelpers(reallyAllow);
            helpersForbidden = !reallyAllow;
        }

        @Override
        public void setExecutionMode(ExecutionMode mode) {
            super.setExecutionMode(mode);
            modeSet = true;
        }

        /**
         * Back to what a new context holds: no arrays (Java's and the native handles), no
         * arguments, no shape-function override, helpers allowed, no execution mode. The in-place
         * mark and the random generator's state are set by every op.
         */
        void clear() {
            uses++;
            purge();
            if (iArgs) {
                fastpath_i.clear();
                ops.setGraphContextIArguments(opaque(), null, 0);
                iArgs = false;
            }
            if (tArgs) {
                fastpath_t.clear();
                ops.setGraphContextTArguments(opaque(), null, 0);
                tArgs = false;
            }
            if (bArgs) {
                fastpath_b.clear();
                ops.setGraphContextBArguments(opaque(), null, 0);
                bArgs = false;
            }
            if (dArgs) {
                fastpath_d.clear();
                ops.setGraphContextDArguments(opaque(), null, 0);
                dArgs = false;
            }
            if (shapeOverride) {
                shapeFunctionOverride(false);
            }
            if (helpersForbidden) {
                allowHelpers(true);
            }
            if (modeSet) {
                setExecutionMode(ExecutionMode.UNDEFINED);
                modeSet = false;
            }
        }
    }
}
