package dev.hpsweep.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A matrix's rows as Java arrays, in one copy. ND4J 1.0.0-M2.1's {@code toFloatMatrix} and
 * {@code toDoubleMatrix} make a row view and a copy of it per row (two native buffers and an op
 * each): 256 of each for every training batch's logits, tens of thousands for an evaluation. The
 * values are the same; only the number of copies differs.
 */
final class Rows {
    private Rows() {
    }

    /**
     * The given rows of a matrix, in that order, as a new c-ordered matrix: what {@code
     * getRows(rows)} gives, in one native op. ND4J 1.0.0-M2.1's {@code getRows} makes a view of
     * each source row and of each target row and runs an assign op per row: for a batch of 256
     * features and labels, 1,024 of the 1,979 native buffers a depth-6 MLP's training step
     * registered for deallocation, and 512 ops (docs/BENCHMARKS.md, "What a young collection
     * copies"). The values are copied exactly either way (RowsTest).
     */
    static INDArray gather(INDArray m, int[] rows) {
        if (m.rank() != 2 || rows.length == 0) {
            return m.getRows(rows);
        }
        return Nd4j.pullRows(m, 1, rows);
    }

    /**
     * A matrix's elements as floats in row-major order, in {@code reuse} when it is long enough (else in
     * a new array, which the caller keeps for next time): a training batch's logits and an
     * evaluation chunk's outputs without a Java array per row or per batch. The first {@code
     * m.length()} elements are the matrix's; any after them are left as they were.
     */
    static float[] flat(INDArray m, float[] reuse) {
        // A user's network in another precision: its values as floats, as ND4J's toFloatMatrix gives them.
        INDArray c = m.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT ? contiguous(m)
            : contiguous(m).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        int n = (int) c.length();
        float[] out = reuse != null && reuse.length >= n ? reuse : new float[n];
        c.data().asNioFloat().get(out, 0, n);
        return out;
    }

    static float[][] floats(INDArray m) {
        float[] flat = flat(m, null);
        int rows = (int) m.size(0);
        int cols = (int) m.size(1);
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /** The same rows widened to doubles, as ND4J's {@code toDoubleMatrix} gives them for a float array. */
    static double[][] doubles(INDArray m) {
        if (m.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            return m.toDoubleMatrix(); // not on hpsweep's paths: its networks are float
        }
        float[][] f = floats(m);
        double[][] out = new double[f.length][];
        for (int r = 0; r < f.length; r++) {
            out[r] = new double[f[r].length];
            for (int c = 0; c < f[r].length; c++) {
                out[r][c] = f[r][c];
            }
        }
        return out;
    }

    /** {@code m} itself when its buffer holds exactly its elements in row-major order, else a row-major copy. */
    private static INDArray contiguous(INDArray m) {
        if (m.rank() != 2) {
            throw new IllegalArgumentException("not a matrix: shape " + java.util.Arrays.toString(m.shape()));
        }
        if (m.size(0) * m.size(1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matrix too large for Java arrays: " + m.size(0) + " x " + m.size(1));
        }
        boolean exact = !m.isView() && m.ordering() == 'c' && m.offset() == 0 && m.data().length() == m.length();
        return exact ? m : m.dup('c');
    }
}
