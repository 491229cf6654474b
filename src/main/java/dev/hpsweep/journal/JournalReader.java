package dev.hpsweep.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a journal back. A last line that is incomplete or fails its checksum is a torn write
 * (the process died mid-append): it is reported and, by {@link #cutTornTail}, cut before the next
 * append. A bad line anywhere else means the file was damaged: reading stops with its line number.
 */
public final class JournalReader {
    private JournalReader() {
    }

    /** One record: its 1-based line, and its fields (seq, type, time, ...). */
    public record Entry(int line, JsonNode record) {
        public String type() {
            return record.path("type").asText();
        }

        public long seq() {
            return record.path("seq").asLong();
        }
    }

    /**
     * @param entries    the intact records, in order
     * @param goodBytes  the length of the file up to the end of the last intact record's line
     * @param tornLine   the 1-based line number of a torn last line, or 0 if none
     * @param tornBytes  how many bytes that torn tail has
     */
    public record Contents(List<Entry> entries, long goodBytes, int tornLine, long tornBytes) {
        public boolean torn() {
            return tornLine > 0;
        }

        public long lastSeq() {
            return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
        }
    }

    /** A damaged record before the last line. */
    public static final class CorruptJournalException extends RuntimeException {
        private final int line;

        CorruptJournalException(Path file, int line, String why) {
            super(file + ":" + line + ": corrupt journal record (" + why + "); the journal cannot be trusted past"
                + " this line. Move the file aside to start the sweep afresh, or repair the line by hand.");
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Entry> entries = new ArrayList<>();
        long good = 0;
        int start = 0;
        int lineNo = 0;
        long expectedSeq = 1;
        while (start < bytes.length) {
            lineNo++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean complete = end < bytes.length;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            boolean last = !complete || end + 1 >= bytes.length;
            String json = complete ? Journal.unseal(line) : null;
            JsonNode node = null;
            String why = json == null ? (!complete ? "line has no end"
                : line.contains(",\"crc\":\"") ? "checksum mismatch or malformed line"
                : "no checksum: not written by this version of hpsweep") : null;
            if (json != null) {
                try {
                    node = JsonLines.MAPPER.readTree(json);
                    if (node.path("seq").asLong() != expectedSeq) {
                        why = "sequence number " + node.path("seq").asLong() + " where " + expectedSeq + " was expected";
                        node = null;
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    why = "not JSON: " + e.getOriginalMessage();
                }
            }
            if (node == null) {
                if (last) {
                    return new Contents(List.copyOf(entries), good, lineNo, bytes.length - good);
                }
                throw new CorruptJournalException(file, lineNo, why);
            }
            entries.add(new Entry(lineNo, node));
            expectedSeq++;
            start = end + 1;
            good = start;
        }
        return new Contents(List.copyOf(entries), good, 0, 0);
    }

    /** Truncates the file to its intact records, so the next append starts on a line of its own. */
    public static void cutTornTail(Path file, Contents contents) {
        if (!contents.torn()) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(contents.goodBytes());
            raf.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut the torn tail of " + file, e);
        }
    }
}
