package dev.hpsweep.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Why the operating system refused a file operation, in its words ("File name too long",
 * "Read-only file system"), for messages that must not lose the cause. Java's file exceptions
 * keep the reason apart from the path, and for some errors (permission denied, no such file)
 * only in the exception's type.
 */
public final class OsReason {
    private OsReason() {
    }

    /** The file the OS named, if any and other than {@code subject}, then the reason: {@code "logs: File exists"}. */
    public static String of(IOException e, Path subject) {
        if (e instanceof FileSystemException f && f.getFile() != null
            && (subject == null || !Path.of(f.getFile()).equals(subject))) {
            return f.getFile() + ": " + reason(e);
        }
        return reason(e);
    }

    /** The reason alone. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null && !f.getReason().isBlank()) {
                return f.getReason();
            }
            if (e instanceof AccessDeniedException) {
                return "Permission denied";
            }
            if (e instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            if (e instanceof FileAlreadyExistsException) {
                return "File exists";
            }
            if (e instanceof NotDirectoryException) {
                return "Not a directory";
            }
            if (e instanceof DirectoryNotEmptyException) {
                return "Directory not empty";
            }
            return e.getClass().getSimpleName();
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * {@code "<what>: <reason>"} ("cannot write leaderboard.csv: No space left on device"), with
     * {@code e} as the cause; {@code what} names the file, so the one the OS named (often a temp
     * file beside it) is left out.
     */
    public static UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException(what + ": " + reason(e), e);
    }

    /**
     * Whether the error comes from the path a user gave rather than from the machine: a name too
     * long for the file system, a missing directory or a dangling link on the way, a file where a
     * directory must be. Permission, space and hardware errors are not.
     */
    public static boolean isBadPath(Throwable e) {
        if (e instanceof InvalidPathException || e instanceof NoSuchFileException
            || e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return true;
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            return r.equals("File name too long") || r.equals("Not a directory")
                || r.startsWith("Too many levels of symbolic links");
        }
        return false;
    }

    /**
     * {@code dir} or the first of its parents that is a symbolic link to nothing, said as such
     * ("logs is a symbolic link to /mnt/gone, which does not exist"); null when none is.
     */
    public static String danglingLink(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    target = "a target that cannot be read";
                }
                return p + " is a symbolic link to " + target + ", which does not exist";
            }
        }
        return null;
    }
}
