package dev.hpsweep.cli;

import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM for a process in a cluster. A JVM shutdown hook is too late there: Akka's
 * Artery transport aborts its connections in its own shutdown hook, so checkpoints could no
 * longer be shipped. These handlers run instead of the JVM's shutdown, on a thread of their own;
 * the process then ends by itself when the work they start is done. A second signal exits at once.
 */
final class Signals {
    private static volatile boolean signalled;
    private static volatile int number;

    private Signals() {
    }

    static void onInterrupt(Runnable action) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> {
                if (signalled) {
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                signalled = true;
                number = s.getNumber();
                Thread t = new Thread(action, "hpsweep-signal-" + name);
                t.setDaemon(true);
                t.start();
            });
        }
    }

    /** The exit code a process stopped by the first signal gives, as the JVM would: 128 + its number; 0 if none came. */
    static int exitCode() {
        return signalled ? 128 + number : 0;
    }
}
