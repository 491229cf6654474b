package dev.hpsweep.train;

import dev.hpsweep.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One split as ND4J arrays: features [rows, features], one-hot labels [rows, classes], and the int labels. */
public record SplitArrays(INDArray features, INDArray oneHot, int[] labels) {

    public static SplitArrays of(Dataset.Split split, int classes) {
        int[] labels = split.labels();
        float[][] oneHot = new float[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i][labels[i]] = 1f;
        }
        return new SplitArrays(Nd4j.create(split.features()).castTo(DataType.FLOAT),
            Nd4j.create(oneHot), labels);
    }

    public int rows() {
        return labels.length;
    }
}
