package dev.hpsweep.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file of one JSON document per line. Each {@link #append} writes one whole line
 * with a single write call and, when {@code sync} is set, forces it to disk before returning.
 * An append that fails (a full disk) is cut off again, so the file never keeps half a line, and
 * the file takes no further appends: what it holds is a clean prefix of what was meant.
 */
public final class JsonLines implements Closeable {
    /** Shared, configured once: key order follows declaration/insertion order, no pretty printing. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path file;
    private final FileChannel channel;
    private final boolean sync;
    /** The first failed append; none is tried after it. */
    private UncheckedIOException failed;

    /** Opens (creating it, durably when {@code sync}) {@code file} for appending. */
    public JsonLines(Path file, boolean sync) {
        this.file = file;
        this.sync = sync;
        Path dir = file.toAbsolutePath().getParent();
        AtomicFiles.createDirectories(dir);
        boolean created = !Files.exists(file);
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw OsReason.failure("cannot open " + file, e);
        }
        if (created && sync) {
            try {
                AtomicFiles.syncDirectory(dir);
            } catch (UncheckedIOException e) {
                closeQuietly();
                throw e;
            }
        }
    }

    public void append(Object record) {
        try {
            appendRaw(MAPPER.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + record, e);
        }
    }

    /** Appends {@code line} (without its newline) as it is; used for text logs as well. */
    public void appendRaw(String line) {
        if (failed != null) {
            throw new UncheckedIOException(failed.getMessage() + " (an earlier append failed; no more are tried)",
                failed.getCause());
        }
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long size = -1;
        try {
            size = channel.size();
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            failed = OsReason.failure("cannot append to " + file, e);
            cutBackTo(size);
            throw failed;
        }
    }

    /** Removes what a failed append left; truncating frees space, so on a full disk it still works. */
    private void cutBackTo(long size) {
        if (size < 0) {
            return;
        }
        try {
            if (channel.size() > size) {
                channel.truncate(size);
                channel.force(false);
            }
        } catch (IOException e) {
            // The line stays torn; the journal's reader reports a torn last line and cuts it.
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw OsReason.failure("cannot close " + file, e);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing with the reason that matters
        }
    }
}
