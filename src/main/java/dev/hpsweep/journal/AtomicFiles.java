package dev.hpsweep.journal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Whole-file writes that a crash cannot leave half done: the bytes go to a temp file in the
 * target's directory, are synced, then moved over the target in one rename. A reader sees the
 * old file or the new one, never a mix. Directories made on the way are durable too: after each
 * mkdir its parent is synced, as after each rename.
 */
public final class AtomicFiles {
    private static final AtomicBoolean WARNED_UNSYNCABLE = new AtomicBoolean();

    private AtomicFiles() {
    }

    public static void write(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Writes what {@code writer} produces; it must not close the stream. Nothing is moved if it throws. */
    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        try {
            Path tmp = newTempFile(dir, target);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                    writer.write(out);
                    out.flush();
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw OsReason.failure("cannot write " + target, e);
        }
        syncDirectory(dir);
    }

    /**
     * An empty temp file beside {@code target}, named like {@link Files#createTempFile}'s
     * ({@code .<name><digits>.tmp}) but created as every other file is, so its mode, and the
     * target's after the rename, follow the user's umask rather than createTempFile's 0600.
     */
    private static Path newTempFile(Path dir, Path target) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + target.getFileName() + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException taken) {
                // Another writer's temp file of the same name: draw again.
            }
        }
    }

    /** Produces a file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Like {@link Files#createDirectories}, but each directory it makes is made durable: its
     * parent is synced after the mkdir, so a power cut cannot lose a directory that files were
     * then written into.
     */
    public static void createDirectories(Path dir) {
        try {
            makeDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": "
                + OsReason.of(e, dir.toAbsolutePath()), e);
        }
    }

    /**
     * {@link #createDirectories} for a caller that words the mkdir's failure itself (the sweep
     * lock names its file and a dangling link); a failed directory sync is still unchecked.
     */
    static void makeDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        // Up to the first name that exists, links followed, as Files.createDirectories goes: a file
        // on the way then fails as "Not a directory", a dangling link as "File exists".
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        if (missing.isEmpty() && !Files.isDirectory(abs)) {
            throw new FileAlreadyExistsException(abs.toString());
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                continue; // made meanwhile by someone else, who syncs its parent
            }
            syncDirectory(p.getParent());
        }
    }

    /**
     * Makes a rename or mkdir in {@code dir} durable. A failure is an error (after a failed fsync
     * the kernel may have dropped what it held), except on a file system that cannot sync a
     * directory at all: that is said once, on standard error, and names stay as durable as it makes them.
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            String reason = OsReason.reason(e);
            if (unsupported(reason)) {
                if (WARNED_UNSYNCABLE.compareAndSet(false, true)) {
                    System.err.println("hpsweep: warning: cannot sync directory " + dir + " (" + reason
                        + "): this file system does not make new file names durable; a power cut may lose the newest files");
                }
                return;
            }
            throw OsReason.failure("cannot sync directory " + dir, e);
        }
    }

    /** EINVAL, ENOTSUP, ENOSYS: the file system has no directory fsync, which is not a write that failed. */
    private static boolean unsupported(String reason) {
        return reason.equals("Invalid argument") || reason.equals("Operation not supported")
            || reason.equals("Function not implemented");
    }

    /**
     * Deletes the temp files that writes killed before their rename left in {@code dir} (names
     * {@code .<target><digits>.tmp}); only safe while no other process writes there, i.e. under
     * the sweep's lock. Returns what it deleted.
     */
    public static List<Path> removeOrphanedTempFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(AtomicFiles::isTempFile).toList()) {
                Files.deleteIfExists(f);
                removed.add(f);
            }
        } catch (IOException e) {
            throw OsReason.failure("cannot remove temp files in " + dir, e);
        }
        if (!removed.isEmpty()) {
            syncDirectory(dir);
        }
        return removed;
    }

    private static boolean isTempFile(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp") && name.length() > 5 && Files.isRegularFile(p);
    }
}
