package dev.hpsweep.train;

/** A trial's training cannot go on (non-finite loss, native out-of-memory, ...); the trial fails alone. */
public class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(String message) {
        super(message);
    }

    public TrainingFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
