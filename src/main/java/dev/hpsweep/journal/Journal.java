package dev.hpsweep.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The sweep's append-only record of what happened ({@code journal.jsonl}): one JSON object per
 * line, {@code {"seq":N,"type":...,"time":...,<fields>,"crc":"<8 hex>"}}, fsynced before
 * {@link #append} returns, so an acknowledged record survives a crash. The CRC-32 covers the
 * line's text before the crc field, so a torn or damaged line is told apart from a good one.
 */
public final class Journal implements Closeable {
    private static final String CRC_FIELD = ",\"crc\":\"";

    private final JsonLines lines;
    private long seq;

    /** Opens {@code file} for appending after {@code lastSeq} (0 for a new journal). */
    public Journal(Path file, long lastSeq) {
        this.lines = new JsonLines(file, true);
        this.seq = lastSeq;
    }

    public Journal(Path file) {
        this(file, 0);
    }

    /** Appends a record of {@code type}; {@code fields} follow seq, type and time in the line. */
    public synchronized void append(String type, Map<String, ?> fields) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("seq", seq + 1);
        record.put("type", type);
        record.put("time", System.currentTimeMillis());
        record.putAll(fields);
        try {
            lines.appendRaw(seal(JsonLines.MAPPER.writeValueAsString(record)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise journal record " + record, e);
        }
        seq++;
    }

    public synchronized long lastSeq() {
        return seq;
    }

    /** {@code {...}} becomes {@code {...,"crc":"xxxxxxxx"}} with the CRC of the original text. */
    static String seal(String json) {
        return json.substring(0, json.length() - 1) + CRC_FIELD + crc(json) + "\"}";
    }

    /** The record's JSON without its crc field, or null when the line is not a sealed, intact record. */
    static String unseal(String line) {
        int at = line.lastIndexOf(CRC_FIELD);
        if (at < 0 || !line.endsWith("\"}") || line.length() != at + CRC_FIELD.length() + 8 + 2) {
            return null;
        }
        String json = line.substring(0, at) + "}";
        String crc = line.substring(at + CRC_FIELD.length(), at + CRC_FIELD.length() + 8);
        return crc.equals(crc(json)) ? json : null;
    }

    private static String crc(String json) {
        CRC32 crc = new CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    @Override
    public void close() {
        lines.close();
    }
}
