package dev.hpsweep.journal;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweep's append-only record of what happened ({@code journal.jsonl}): one JSON object per
 * line with a sequence number, a type and a time, fsynced before {@link #append} returns, so a
 * record that was acknowledged survives a crash.
 */
public final class Journal implements Closeable {
    private final JsonLines lines;
    private long seq;

    public Journal(Path file) {
        this.lines = new JsonLines(file, true);
    }

    /** Appends a record of {@code type}; {@code fields} follow seq, type and time in the line. */
    public synchronized void append(String type, Map<String, ?> fields) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("seq", ++seq);
        record.put("type", type);
        record.put("time", System.currentTimeMillis());
        record.putAll(fields);
        lines.append(record);
    }

    @Override
    public void close() {
        lines.close();
    }
}
