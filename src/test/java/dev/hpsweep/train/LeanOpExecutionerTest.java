package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/** exec(CustomOp) reuses one op context per thread, and no op sees what the one before it set. */
class LeanOpExecutionerTest {

    @BeforeAll
    static void lean() {
        Nd4jRuntime.install();
        Nd4jRuntime.use(true);
    }

    private static LeanOpExecutioner executioner() {
        return (LeanOpExecutioner) Nd4j.getExecutioner();
    }

    /** reduce_sum over {@code dims} (none: the whole array) into a new output of the given shape. */
    private static INDArray reduceSum(INDArray x, long[] outShape, boolean keepDims, int... dims) {
        INDArray z = Nd4j.create(DataType.FLOAT, outShape);
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("reduce_sum").addInputs(x).addOutputs(z);
        if (dims.length > 0) {
            b.addIntegerArguments(dims);
        }
        if (keepDims) {
            b.addBooleanArguments(true);
        }
        Nd4j.exec(b.build());
        return z;
    }

    @Test
    void customOpsOnOneThreadRunInOneContextAndGetTheirOwnResults() {
        assertTrue(Nd4j.getExecutioner() instanceof LeanOpExecutioner, "installed by default");
        long before = executioner().reusesOnThisThread();
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(new float[] {3, 7}, reduceSum(x, new long[] {2}, false, 1).toFloatVector());
            // No integer argument: the whole array. Had the last op's {1} stayed, this would sum rows again.
            assertEquals(10f, reduceSum(x, new long[0], false).getFloat(0));
            // keepDims (a boolean argument), then none: [2, 1] and then [2] again.
            assertArrayEquals(new long[] {2, 1}, reduceSum(x, new long[] {2, 1}, true, 1).shape());
            assertArrayEquals(new float[] {4, 6}, reduceSum(x, new long[] {2}, false, 0).toFloatVector());
        }
        assertEquals(200, executioner().reusesOnThisThread() - before, "each op ran in the thread's context");
    }

    @Test
    void anOpWithoutOutputsGetsThemSizedByItsShapeFunctionEachTime() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        for (int i = 0; i < 3; i++) {
            INDArray[] rows = Nd4j.exec(DynamicCustomOp.builder("reduce_sum").addInputs(x).addIntegerArguments(1).build());
            assertArrayEquals(new float[] {6, 15}, rows[0].toFloatVector());
            INDArray[] all = Nd4j.exec(DynamicCustomOp.builder("reduce_sum").addInputs(x).build());
            assertEquals(21f, all[0].getFloat(0));
            assertEquals(0, all[0].rank());
        }
    }

    @Test
    void aFailedOpLeavesTheContextCleanForTheNext() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        // Output of the wrong shape: libnd4j refuses it.
        assertThrows(RuntimeException.class, () -> Nd4j.exec(DynamicCustomOp.builder("reduce_sum").addInputs(x)
            .addOutputs(Nd4j.create(DataType.FLOAT, 5)).addIntegerArguments(1).build()));
        assertEquals(10f, reduceSum(x, new long[0], false).getFloat(0));
    }

    /** An op given no outputs runs with the shape check off; the next op's wrong output is still refused. */
    @Test
    void theShapeCheckIsBackAfterAnOpWithoutOutputs() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        assertEquals(10f, Nd4j.exec(DynamicCustomOp.builder("reduce_sum").addInputs(x).build())[0].getFloat(0));
        // [2, 2] + [2, 2] into [4]: as many elements, so only the shape check refuses it.
        assertThrows(RuntimeException.class, () -> Nd4j.exec(DynamicCustomOp.builder("add").addInputs(x, x)
            .addOutputs(Nd4j.create(DataType.FLOAT, 4)).build()));
    }

    /** reduce_sum reads a second input as its axes: one left over from a two-input op would change it. */
    @Test
    void anOpsInputsDoNotReachTheNext() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        INDArray sum = Nd4j.create(DataType.FLOAT, 2, 2);
        Nd4j.exec(DynamicCustomOp.builder("add").addInputs(x, Nd4j.createFromArray(new float[][] {{0, 0}, {0, 0}}))
            .addOutputs(sum).build());
        assertEquals(x, sum);
        assertEquals(10f, reduceSum(x, new long[0], false).getFloat(0));
    }

    /** lrelu takes its slope from a float argument when it has one: clipbyvalue's must not reach it. */
    @Test
    void anOpsFloatArgumentsDoNotReachTheNext() {
        INDArray x = Nd4j.createFromArray(-2f, -1f, 1f, 2f);
        INDArray alone = Nd4j.create(DataType.FLOAT, 4);
        Nd4j.exec(DynamicCustomOp.builder("lrelu").addInputs(x).addOutputs(alone).build());
        INDArray clipped = Nd4j.create(DataType.FLOAT, 4);
        Nd4j.exec(DynamicCustomOp.builder("clipbyvalue").addInputs(x).addOutputs(clipped)
            .addFloatingPointArguments(-0.5, 0.5).build());
        assertArrayEquals(new float[] {-0.5f, -0.5f, 0.5f, 0.5f}, clipped.toFloatVector());
        INDArray after = Nd4j.create(DataType.FLOAT, 4);
        Nd4j.exec(DynamicCustomOp.builder("lrelu").addInputs(x).addOutputs(after).build());
        assertArrayEquals(alone.toFloatVector(), after.toFloatVector());
        assertTrue(after.getFloat(0) != -0.5f * -2f, "a slope of its own, not clipbyvalue's -0.5");
    }

    @Test
    void contextsBuiltOutsideExecAreNewEachTime() {
        OpContext a = Nd4j.getExecutioner().buildContext();
        OpContext b = Nd4j.getExecutioner().buildContext();
        assertNotSame(a, b);
        assertTrue(!(a instanceof LeanOpExecutioner.Reused), "a caller that keeps its context gets its own");
    }

    @Test
    void threadsEachUseTheirOwnContext() throws Exception {
        INDArray x = Nd4j.linspace(1, 64, 64, DataType.FLOAT).reshape(8, 8);
        float[] expected = x.sum(1).toFloatVector();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        assertArrayEquals(expected, reduceSum(x, new long[] {8}, false, 1).toFloatVector());
                        assertEquals(2080f, reduceSum(x, new long[0], false).getFloat(0));
                    }
                    assertEquals(1000, executioner().reusesOnThisThread());
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void ndfoursOwnPartsBringBackItsOwnExecutioner() {
        Object lean = Nd4j.getExecutioner();
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        Nd4jRuntime.use(false);
        try {
            assertSame(NativeOpExecutioner.class, Nd4j.getExecutioner().getClass());
            assertSame(org.nd4j.linalg.cpu.nativecpu.CpuTADManager.class, Nd4j.getExecutioner().getTADManager().getClass());
            assertArrayEquals(new float[] {3, 7}, reduceSum(x, new long[] {2}, false, 1).toFloatVector());
        } finally {
            Nd4jRuntime.use(true);
        }
        assertSame(lean, Nd4j.getExecutioner());
        assertSame(Nd4jRuntime.CachingTadManager.class, Nd4j.getExecutioner().getTADManager().getClass());
    }
}
