package dev.hpsweep.journal;

/** Where a trial stands. Only PENDING and RUNNING are not final. */
public enum TrialStatus {
    PENDING, RUNNING, COMPLETED, STOPPED, FAILED, INTERRUPTED;

    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }
}
