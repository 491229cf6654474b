package dev.hpsweep.cli;

/** What {@code hpsweep} returns to the shell. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The program or the sweep failed (an I/O error, every trial failed, ...). */
    public static final int FAILURE = 1;
    /** The user's input broke a rule: a search-space file, a data file, an argument. */
    public static final int BAD_INPUT = 2;
    /** The sweep was interrupted (a signal, by convention 128 + SIGINT); resume continues it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
