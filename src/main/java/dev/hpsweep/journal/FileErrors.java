package dev.hpsweep.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The operating system's reason for a failed file operation ("No space left on device"). Java
 * keeps it apart from the message of a wrapping exception, or only in the exception's type, so a
 * message built from the wrapper alone says what failed but not why.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** The OS's words for why {@code e} happened, as strerror(3) would put them. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (e instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            if (e instanceof AccessDeniedException) {
                return "Permission denied";
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

    /** {@code "<what>: <reason>"}, with {@code e} as the cause. */
    public static UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException(what + ": " + reason(e), e);
    }
}
