package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The rows come out as ND4J's own per-row conversion gives them, for plain arrays, views and column-major ones. */
class RowsTest {

    @Test
    void rowsEqualNd4jsOwnConversionForPlainViewAndColumnMajorMatrices() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 7, 5).subi(0.5);
        INDArray[] cases = {m, m.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()),
            m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4)), m.dup('f'), m.transpose(),
            Nd4j.create(DataType.FLOAT, 1, 3).assign(2)};
        for (INDArray c : cases) {
            assertArrayEquals(c.toFloatMatrix(), Rows.floats(c));
            assertArrayEquals(c.toDoubleMatrix(), Rows.doubles(c));
        }
    }

    @Test
    void flatRowsEqualNd4jsOwnConversionAndReuseALongEnoughArray() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 7, 5).subi(0.5);
        INDArray[] cases = {m, m.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()),
            m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4)), m.dup('f'), m.transpose()};
        float[] reuse = new float[40];
        java.util.Arrays.fill(reuse, -7f);
        for (INDArray c : cases) {
            float[][] rows = c.toFloatMatrix();
            float[] expected = new float[rows.length * rows[0].length];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, expected, r * rows[0].length, rows[0].length);
            }
            assertArrayEquals(expected, Rows.flat(c, null));
            float[] got = Rows.flat(c, reuse);
            assertSame(reuse, got);
            assertArrayEquals(expected, java.util.Arrays.copyOf(got, expected.length));
            assertEquals(-7f, got[39], "past the matrix's elements the array is left as it was");
        }
        float[] small = new float[3];
        assertNotSame(small, Rows.flat(m, small));
        float[][] asFloats = m.castTo(DataType.DOUBLE).toFloatMatrix();
        assertArrayEquals(asFloats[2], java.util.Arrays.copyOfRange(Rows.flat(m.castTo(DataType.DOUBLE), null), 10, 15),
            "a double matrix's values come as floats");
    }

    @Test
    void gatheredRowsEqualNd4jsGetRowsInOrderWithRepeats() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 9, 4).subi(0.5);
        int[][] picks = {{3, 0, 8, 3}, {5}, {8, 7, 6, 5, 4, 3, 2, 1, 0}};
        INDArray[] sources = {m, m.dup('f'), m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)),
            Nd4j.eye(9).castTo(DataType.FLOAT)};
        for (INDArray source : sources) {
            for (int[] rows : picks) {
                INDArray expected = source.getRows(rows);
                INDArray got = Rows.gather(source, rows);
                assertArrayEquals(expected.shape(), got.shape());
                assertArrayEquals(expected.toFloatMatrix(), got.toFloatMatrix());
                assertEquals('c', got.ordering());
            }
        }
    }

    @Test
    void onlyMatricesAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> Rows.floats(Nd4j.create(DataType.FLOAT, 2, 3, 4)));
    }
}
