package dev.hpsweep.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a trainer is into an epoch: batches done and their running sums, the per-batch losses
 * when recorded, and the gradient probe's sums. Mutable (an epoch of batch size 1 has ~50k
 * batches); written exactly (doubles as bits) so a resumed epoch reports the same values as an
 * uninterrupted one.
 */
final class EpochCursor {
    int epoch;
    int batches;
    double lossSum;
    long correct;
    double seconds;
    final List<Double> batchLosses = new ArrayList<>();
    double[] gradSums = new double[0];
    int gradBatches;

    static EpochCursor start(int epoch) {
        EpochCursor c = new EpochCursor();
        c.epoch = epoch;
        return c;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(epoch);
        out.writeInt(batches);
        out.writeDouble(lossSum);
        out.writeLong(correct);
        out.writeDouble(seconds);
        out.writeInt(batchLosses.size());
        for (double v : batchLosses) {
            out.writeDouble(v);
        }
        out.writeInt(gradSums.length);
        for (double v : gradSums) {
            out.writeDouble(v);
        }
        out.writeInt(gradBatches);
    }

    static EpochCursor read(DataInputStream in) throws IOException {
        EpochCursor c = new EpochCursor();
        c.epoch = in.readInt();
        c.batches = in.readInt();
        c.lossSum = in.readDouble();
        c.correct = in.readLong();
        c.seconds = in.readDouble();
        int losses = in.readInt();
        for (int i = 0; i < losses; i++) {
            c.batchLosses.add(in.readDouble());
        }
        c.gradSums = new double[in.readInt()];
        for (int i = 0; i < c.gradSums.length; i++) {
            c.gradSums[i] = in.readDouble();
        }
        c.gradBatches = in.readInt();
        return c;
    }
}
