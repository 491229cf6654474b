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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One process per sweep. An OS file lock on {@code logs/<sweep>/.lock}: the kernel releases it
 * when its holder dies, however it dies, so there is never a stale lock to clean up; the file's
 * text (pid, host, since) only names the holder for the message a second process gets. A sweep
 * also locks {@code checkpoints/<sweep>/.lock} ({@link #acquire(SweepPaths)}): two sweeps of one
 * name under different {@code --logs} would otherwise share, prune and move each other's checkpoints.
 */
public final class SweepLock implements Closeable {
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

    /** Locks the sweep's log directory and its checkpoints directory (once, where they are one). */
    public static SweepLock acquire(SweepPaths paths) {
        SweepLock logs = acquire(paths.sweep(), paths.logDir());
        try {
            AtomicFiles.createDirectories(paths.checkpointDir());
            if (Files.isSameFile(paths.logDir(), paths.checkpointDir())) {
                return logs;
            }
            return new SweepLock(logs.channel, logs.lock, lockCheckpoints(paths));
        } catch (IOException | RuntimeException e) {
            logs.close();
            if (e instanceof IOException io) {
                throw FileErrors.failure("cannot lock " + paths.checkpointDir(), io);
            }
            throw (RuntimeException) e;
        }
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

    public static SweepLock acquire(String sweep, Path logDir) {
        Path file = logDir.resolve(".lock");
        try {
            AtomicFiles.createDirectories(logDir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
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
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the sweep lock", e);
        } finally {
            if (checkpoints != null) {
                checkpoints.close();
            }
        }
    }
}
