package com.example.softmax;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Per-feature scaling x' = (x - mean) / sd; the identity (mean 0, sd 1) when standardize is off. */
record Scaling(double[] mean, double[] sd) {

    static Scaling identity(int features) {
        double[] mean = new double[features];
        double[] sd = new double[features];
        java.util.Arrays.fill(sd, 1.0);
        return new Scaling(mean, sd);
    }

    /** Mean and population sd of each column of {@code rows}; a constant column keeps sd 1. */
    static Scaling fit(float[][] rows, int features) {
        double[] mean = new double[features];
        double[] sd = new double[features];
        for (float[] row : rows) {
            for (int j = 0; j < features; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < features; j++) {
            mean[j] = rows.length == 0 ? 0.0 : mean[j] / rows.length;
        }
        for (float[] row : rows) {
            for (int j = 0; j < features; j++) {
                double d = row[j] - mean[j];
                sd[j] += d * d;
            }
        }
        for (int j = 0; j < features; j++) {
            double s = rows.length == 0 ? 0.0 : Math.sqrt(sd[j] / rows.length);
            sd[j] = s > 0 && Double.isFinite(s) ? s : 1.0;
        }
        return new Scaling(mean, sd);
    }

    int features() {
        return mean.length;
    }

    /** The rows scaled, flattened row-major: row i's feature j at {@code i * features + j}. */
    double[] apply(float[][] rows) {
        int f = features();
        double[] out = new double[rows.length * f];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != f) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, expected " + f);
            }
            for (int j = 0; j < f; j++) {
                out[i * f + j] = (rows[i][j] - mean[j]) / sd[j];
            }
        }
        return out;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(features());
        for (int j = 0; j < features(); j++) {
            out.writeDouble(mean[j]);
            out.writeDouble(sd[j]);
        }
    }

    static Scaling read(DataInputStream in) throws IOException {
        int f = in.readInt();
        if (f < 1 || f > 1 << 24) {
            throw new IOException("bad feature count " + f);
        }
        double[] mean = new double[f];
        double[] sd = new double[f];
        for (int j = 0; j < f; j++) {
            mean[j] = in.readDouble();
            sd[j] = in.readDouble();
        }
        return new Scaling(mean, sd);
    }
}
