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
 */
public final class JsonLines implements Closeable {
    /** Shared, configured once: key order follows declaration/insertion order, no pretty printing. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path file;
    private final FileChannel channel;
    private final boolean sync;

    public JsonLines(Path file, boolean sync) {
        this.file = file;
        this.sync = sync;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
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
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
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
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
