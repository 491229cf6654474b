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
class Nd4jCachesTest {

    @Test
    void cachedShapeInformationEqualsNd4jsOwnForRegularViewAndEmptyShapes() {
        Nd4jCaches.install();
        assertTrue(Nd4jCaches.active());
        Nd4jCaches.CachingShapeInfoProvider cached = (Nd4jCaches.CachingShapeInfoProvider) Nd4j.getShapeInfoProvider();
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

    @Test
    void reductionsAndBroadcastsOverCachedTadsComputeWhatTheyComputed() {
        Nd4jCaches.install();
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
