package dev.hpsweep.train;

/**
 * An epoch stopped at a batch boundary because a stop was requested; the trainer remembers the
 * position, so it can be saved now and the epoch finished later.
 */
public class TrainingInterruptedException extends RuntimeException {
    private final int epochsDone;
    private final int batchesDone;

    /**
     * @param epochsDone  whole epochs the trainer has finished
     * @param batchesDone batches it has done of the next epoch
     */
    public TrainingInterruptedException(String message, int epochsDone, int batchesDone) {
        super(message);
        this.epochsDone = epochsDone;
        this.batchesDone = batchesDone;
    }

    public int epochsDone() {
        return epochsDone;
    }

    public int batchesDone() {
        return batchesDone;
    }
}
