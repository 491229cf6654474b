package com.example.softmax;

import dev.hpsweep.journal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model as {@link SoftmaxTrainer#saveModel} writes it: the scaling it was trained with,
 * then the weights; enough to predict from raw rows without the trial's parameters.
 */
record SoftmaxModelFile(Scaling scaling, int classes, double[] weights) {
    private static final int MAGIC = 0x534d584d; // "SMXM"
    private static final int VERSION = 1;

    SoftmaxModelFile {
        if (weights.length != classes * (scaling.features() + 1)) {
            throw new IllegalArgumentException(weights.length + " weights do not fit " + classes + " classes and "
                + scaling.features() + " features");
        }
    }

    /**
     * Atomically, with hpsweep's own {@link AtomicFiles} (temp file beside {@code target}, synced,
     * renamed over it, directory synced): a reader sees the old model or the whole new one.
     */
    void write(Path target) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            scaling.write(out);
            out.writeInt(classes);
            for (double w : weights) {
                out.writeDouble(w);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the softmax-regression model", e);
        }
        AtomicFiles.write(target, bytes.toByteArray());
    }

    static SoftmaxModelFile read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a softmax-regression model");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("model file version " + version + ", expected " + VERSION);
            }
            Scaling scaling = Scaling.read(in);
            int classes = in.readInt();
            if (classes < 1 || classes > 1 << 20) {
                throw new IOException("bad class count " + classes);
            }
            double[] w = new double[classes * (scaling.features() + 1)];
            for (int i = 0; i < w.length; i++) {
                w[i] = in.readDouble();
            }
            return new SoftmaxModelFile(scaling, classes, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the softmax-regression model " + file, e);
        }
    }

    /** The most probable class of each raw row. */
    int[] predict(float[][] rows) {
        int f = scaling.features();
        double[] x = scaling.apply(rows);
        double[] z = new double[classes];
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            SoftmaxMath.logits(weights, classes, f, x, i * f, z);
            out[i] = SoftmaxMath.argmax(z, classes);
        }
        return out;
    }
}
