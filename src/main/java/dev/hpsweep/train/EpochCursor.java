package dev.hpsweep.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * How far a trainer is into an epoch: batches done and their running sums. Immutable; written
 * exactly (doubles as bits) so a resumed epoch reports the same means as an uninterrupted one.
 */
record EpochCursor(int epoch, int batches, double lossSum, long correct, double seconds) {

    static EpochCursor start(int epoch) {
        return new EpochCursor(epoch, 0, 0, 0, 0);
    }

    EpochCursor plusBatch(double meanLoss, long batchCorrect) {
        return new EpochCursor(epoch, batches + 1, lossSum + meanLoss, correct + batchCorrect, seconds);
    }

    EpochCursor plusSeconds(double more) {
        return new EpochCursor(epoch, batches, lossSum, correct, seconds + more);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(epoch);
        out.writeInt(batches);
        out.writeDouble(lossSum);
        out.writeLong(correct);
        out.writeDouble(seconds);
    }

    static EpochCursor read(DataInputStream in) throws IOException {
        return new EpochCursor(in.readInt(), in.readInt(), in.readDouble(), in.readLong(), in.readDouble());
    }
}
