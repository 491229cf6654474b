package dev.hpsweep.journal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * One process per sweep. An OS file lock on {@code logs/<sweep>/.lock}: the kernel releases it
 * when its holder dies, however it dies, so there is never a stale lock to clean up; the file's
 * text (pid, host, since) only names the holder for the message a second process gets. A sweep
 * also locks {@code checkpoints/<sweep>/.lock} ({@link #acquire(SweepPaths)}): two sweeps of one
 * name under different {@code --logs} would otherwise share, prune and move each other's checkpoints.
 */
public final class SweepLock implements Closeable {
    /** Tries of a lock that {@link #isHeld} may be looking at, and the pause between them. */
    private static final int PROBE_RETRIES = 4;
    private static final long PROBE_RETRY_NANOS = 25_000_000L;

    private final FileChannel channel;
    private final FileLock lock;
    /** The lock on the checkpoints directory, when it is not the log directory's; else null. */
    private final SweepLock checkpoints;

    private SweepLock(FileChannel channel, FileLock lock) {
        this(channel, lock, null);
    }

    private SweepLock(FileChannel channel, FileLock lock, SweepLock checkpoints) {
        this.channel = channel;
        this.lock = lock;
        this.checkpoints = checkpoints;
    }

    /** Thrown when another live process holds the sweep. */
    public static final class SweepLockedException extends RuntimeException {
        SweepLockedException(String message) {
            super(message);
        }
    }

    /**
     * Locks the sweep's log directory and its checkpoints directory (once, where they are one),
     * creating them if needed.
     *
     * @throws SweepLockedException if another live process holds either
     * @throws UncheckedIOException if a lock file cannot be made, with the OS's reason in the message
     */
    public static SweepLock acquire(SweepPaths paths) {
        SweepLock logs = acquire(paths.sweep(), paths.logDir());
        RuntimeException failure;
        try {
            AtomicFiles.makeDirectories(paths.checkpointDir());
            if (Files.isSameFile(paths.logDir(), paths.checkpointDir())) {
                return logs;
            }
            return new SweepLock(logs.channel, logs.lock, lockCheckpoints(paths));
        } catch (IOException e) {
            failure = cannotLock(paths.checkpointDir(), e);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            logs.close();
        } catch (RuntimeException second) {
            failure.addSuppressed(second);
        }
        throw failure;
    }

    /** Kept apart from {@link #acquire(String, Path)}: the message names the checkpoints and the likely cause. */
    private static SweepLock lockCheckpoints(SweepPaths paths) throws IOException {
        Path file = paths.checkpointDir().resolve(".lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            ch.close();
            throw new SweepLockedException("the checkpoints of sweep '" + paths.sweep() + "' in "
                + paths.checkpointDir() + " are in use by another process ("
                + (holder.isEmpty() ? "holder unknown" : holder) + "), a sweep of the same name with other --logs;"
                + " give this one other --checkpoints or another name");
        }
        String me = "pid " + ProcessHandle.current().pid() + " on " + host() + " since " + Instant.now()
            + ", logs in " + paths.logDir().toAbsolutePath();
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
        } catch (IOException e) {
            // The lock holds without its text, which only names the holder: a full checkpoints disk
            // must not stop the sweep here; its checkpoints fail, are reported, and it exits 1.
        }
        return new SweepLock(ch, lock);
    }

    /**
     * Takes the sweep's lock, creating {@code logDir} if needed.
     *
     * @throws SweepLockedException if another live process holds it
     * @throws UncheckedIOException if the lock file cannot be made, with the OS's reason in the message
     */
    public static SweepLock acquire(String sweep, Path logDir) {
        Path file = logDir.resolve(".lock");
        try {
            AtomicFiles.makeDirectories(logDir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = tryLock(ch);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                ch.close();
                throw new SweepLockedException("sweep '" + sweep + "' is in use by another process ("
                    + (holder.isEmpty() ? "holder unknown" : holder) + "); wait for it to end or stop it first");
            }
            String me = "pid " + ProcessHandle.current().pid() + " on " + host() + " since " + Instant.now();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new SweepLock(ch, lock);
        } catch (IOException e) {
            throw cannotLock(logDir, e);
        }
    }

    /** Why {@code dir}'s lock file cannot be made, in the OS's words, naming a dangling link on the way to it. */
    private static UncheckedIOException cannotLock(Path dir, IOException e) {
        Path file = dir.resolve(".lock");
        String link = OsReason.danglingLink(dir);
        return new UncheckedIOException("cannot lock " + file + ": " + OsReason.of(e, file)
            + (link == null ? "" : " (" + link + ")"), e);
    }

    /**
     * The lock, or null when another process holds it. {@link #isHeld} takes it for an instant to
     * look, so a holder that is not there is asked a few times over ~0.1 s before giving up.
     */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                FileLock lock = ch.tryLock();
                if (lock != null || attempt == PROBE_RETRIES) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                return null;
            }
            LockSupport.parkNanos(PROBE_RETRY_NANOS);
        }
    }

    /**
     * Whether a live process holds the sweep in {@code logDir}, found by taking a shared lock on its
     * lock file and letting it go at once; creates nothing. False when there is no lock file; true
     * when the file cannot be read, since then nothing says the holder is gone.
     */
    public static boolean isHeld(Path logDir) {
        try (FileChannel ch = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.READ)) {
            FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    /** Releases the lock; a second call does nothing, so a close in a finally block cannot hide an earlier error. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        UncheckedIOException failure = null;
        try {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            failure = new UncheckedIOException("cannot release the sweep lock: " + OsReason.of(e, null), e);
        }
        if (checkpoints != null) {
            try {
                checkpoints.close();
            } catch (UncheckedIOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
