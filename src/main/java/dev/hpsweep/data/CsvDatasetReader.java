package dev.hpsweep.data;

import dev.hpsweep.space.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the course's city files that users bring themselves: one CSV file per split with the header
 * {@code long,lat,country}, longitude and latitude as decimal numbers and {@code country} as an
 * integer class label (0, 1, 2, ...).
 *
 * <p>Also accepted: a leading unnamed index column as pandas writes it (header {@code ,long,lat,country}
 * or {@code Unnamed: 0,long,lat,country}), whose values are ignored; a UTF-8 byte-order mark;
 * CRLF line ends; blank lines at the end of the file; a file name ending in {@code .gz} (gzip).
 * Anything else that does not fit is an {@link InputException} naming the file, the physical line,
 * the column at fault and what is allowed.
 */
public final class CsvDatasetReader {
    /** The feature columns, in the order of each row of {@link Dataset.Split#features()}. */
    public static final List<String> FEATURE_NAMES = List.of("long", "lat");

    /** Largest label accepted: the class count is max label + 1, so this bounds what a typo can allocate. */
    public static final int MAX_LABEL = 9_999;

    /**
     * Longest line read, in characters. A row is a few dozen; the bound keeps a file that is not
     * a CSV of rows (seen: 2.4 GB without a line break) from filling the heap before it is refused.
     */
    public static final int MAX_LINE_CHARS = 65_536;

    private static final String LABEL_COLUMN = "country";
    private static final String EXPECTED_HEADER = "long,lat,country";
    private static final Set<String> INDEX_COLUMN_NAMES = Set.of("", "unnamed: 0");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d+");

    private CsvDatasetReader() {
    }

    /**
     * Reads the three splits of a user's data set. The class count is the largest label in any split
     * plus one, and the class names are the labels as strings ("0".."K-1").
     *
     * @throws InputException if a file is missing or unreadable, has a bad header, a bad row or no rows
     */
    public static Dataset read(Path train, Path validation, Path test) {
        Dataset.Split trainSplit = readSplit(train);
        Dataset.Split validationSplit = readSplit(validation);
        Dataset.Split testSplit = readSplit(test);
        int maxLabel = IntStream.of(maxLabel(trainSplit), maxLabel(validationSplit), maxLabel(testSplit))
            .max().orElseThrow();
        int numClasses = maxLabel + 1;
        List<String> classNames = IntStream.range(0, numClasses).mapToObj(Integer::toString).toList();
        return new Dataset("csv:" + train, FEATURE_NAMES, trainSplit, validationSplit, testSplit,
            numClasses, classNames);
    }

    private static int maxLabel(Dataset.Split split) {
        return IntStream.of(split.labels()).max().orElseThrow();
    }

    private static Dataset.Split readSplit(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException(file, 0, 0, null,
                "is a directory; expected a CSV file with the header " + EXPECTED_HEADER);
        }
        try (BufferedReader reader = open(file)) {
            return parse(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new InputException(file, 0, 0, null,
                "file not found; expected a CSV file with the header " + EXPECTED_HEADER);
        } catch (IOException e) {
            throw new InputException(file, 0, 0, null, "cannot read the file: " + e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                in = new GZIPInputStream(in, 64 * 1024);
            }
            return newReader(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A strict UTF-8 reader: malformed bytes are an error, not a silent replacement character. */
    static BufferedReader newReader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
    }

    /**
     * Parses one split in this format.
     *
     * @param source names the input in error messages (a path, or a class-path resource)
     * @throws InputException for any content that breaks the format
     * @throws IOException    if reading fails
     */
    static Dataset.Split parse(Reader reader, String source) throws IOException {
        SplitBuilder rows = new SplitBuilder();
        BoundedLines lines = new BoundedLines(reader, source);
        int lineNumber = 0;
        try {
            String header = lines.next(1);
            lineNumber = 1;
            if (header == null) {
                throw new InputException(source, 0, 0, null,
                    "file is empty; expected the header " + EXPECTED_HEADER + " and at least one data row");
            }
            int columns = columnsOf(header, source);
            boolean indexed = columns == 4;
            int firstBlankLine = 0;
            String line;
            while ((line = lines.next(lineNumber + 1)) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    if (firstBlankLine == 0) {
                        firstBlankLine = lineNumber;
                    }
                    continue;
                }
                if (firstBlankLine != 0) {
                    throw new InputException(source, firstBlankLine, 0, null,
                        "blank line between data rows; only blank lines at the end of the file are allowed");
                }
                parseRow(line, columns, indexed, source, lineNumber, rows);
            }
        } catch (CharacterCodingException e) {
            // The decoder reads ahead of the line being parsed, so the line number would be a guess.
            throw new InputException(source, 0, 0, null, "is not valid UTF-8 text; save the file as UTF-8 or ASCII");
        }
        if (rows.size == 0) {
            throw new InputException(source, 0, 0, null,
                "has no data rows after the header; every split needs at least one row");
        }
        return rows.build();
    }

    /** Returns the number of columns a row must have: 3, or 4 with a leading index column. */
    private static int columnsOf(String headerLine, String source) {
        String header = headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine;
        String[] names = header.split(",", -1);
        for (int i = 0; i < names.length; i++) {
            names[i] = unquote(names[i].trim()).toLowerCase(Locale.ROOT);
        }
        if (names.length == 3 && Arrays.equals(names, new String[] {"long", "lat", LABEL_COLUMN})) {
            return 3;
        }
        if (names.length == 4 && INDEX_COLUMN_NAMES.contains(names[0])
            && Arrays.equals(Arrays.copyOfRange(names, 1, 4), new String[] {"long", "lat", LABEL_COLUMN})) {
            return 4;
        }
        throw new InputException(source, 1, 0, null, "expected the header " + EXPECTED_HEADER
            + " (optionally after an unnamed index column: ," + EXPECTED_HEADER + "), got '" + header + "'");
    }

    private static void parseRow(String line, int columns, boolean indexed, String source, int lineNumber,
                                 SplitBuilder rows) {
        String[] cells = line.split(",", -1);
        if (cells.length != columns) {
            String expected = indexed ? "4 columns (index,long,lat,country)" : "3 columns (long,lat,country)";
            throw new InputException(source, lineNumber, 0, null, "expected " + expected + ", got " + cells.length);
        }
        int first = indexed ? 1 : 0;
        float longitude = parseCoordinate(cells[first], "long", source, lineNumber);
        float latitude = parseCoordinate(cells[first + 1], "lat", source, lineNumber);
        int label = parseLabel(cells[first + 2], source, lineNumber);
        rows.add(longitude, latitude, label);
    }

    private static float parseCoordinate(String cell, String column, String source, int lineNumber) {
        String text = unquote(cell.trim());
        if (!DECIMAL.matcher(text).matches()) {
            throw new InputException(source, lineNumber, 0, column,
                column + " must be a finite decimal number such as 12.5 (no NaN or infinity), got '" + text + "'");
        }
        float value = Float.parseFloat(text);
        if (Float.isInfinite(value)) {
            throw new InputException(source, lineNumber, 0, column,
                column + " must be a finite decimal number within float range, got '" + text + "'");
        }
        return value;
    }

    private static int parseLabel(String cell, String source, int lineNumber) {
        String text = unquote(cell.trim());
        if (!NON_NEGATIVE_INTEGER.matcher(text).matches()) {
            throw new InputException(source, lineNumber, 0, LABEL_COLUMN,
                LABEL_COLUMN + " must be a non-negative integer label, got '" + text + "'");
        }
        String digits = text.replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 9 || Integer.parseInt(digits) > MAX_LABEL) {
            throw new InputException(source, lineNumber, 0, LABEL_COLUMN,
                LABEL_COLUMN + " must be a non-negative integer label of at most " + MAX_LABEL + ", got '" + text + "'");
        }
        return Integer.parseInt(digits);
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && text.charAt(0) == '"' && text.charAt(text.length() - 1) == '"') {
            return text.substring(1, text.length() - 1).trim();
        }
        return text;
    }

    /**
     * {@link BufferedReader#readLine()}'s lines (ended by LF, CR or CRLF), but at most
     * {@link #MAX_LINE_CHARS} characters each: a longer one is an error at its line.
     */
    private static final class BoundedLines {
        private final Reader in;
        private final String source;
        private final char[] buf = new char[8192];
        private final StringBuilder line = new StringBuilder();
        private int pos;
        private int end;
        private boolean skipLf;

        BoundedLines(Reader in, String source) {
            this.in = in;
            this.source = source;
        }

        /** The next line without its terminator, or null at the end; {@code lineNumber} is for the error. */
        String next(int lineNumber) throws IOException {
            line.setLength(0);
            boolean started = false;
            while (true) {
                if (pos == end) {
                    end = Math.max(0, in.read(buf, 0, buf.length));
                    pos = 0;
                    if (end == 0) {
                        return started ? line.toString() : null;
                    }
                }
                char c = buf[pos++];
                if (skipLf) {
                    skipLf = false;
                    if (c == '\n') {
                        continue;
                    }
                }
                started = true;
                if (c == '\n' || c == '\r') {
                    skipLf = c == '\r';
                    return line.toString();
                }
                if (line.length() == MAX_LINE_CHARS) {
                    throw new InputException(source, lineNumber, 0, null, "line is longer than " + MAX_LINE_CHARS
                        + " characters; a row of " + EXPECTED_HEADER + " is a few dozen (is this the right file?)");
                }
                line.append(c);
            }
        }
    }

    /** Columns grown by doubling, so reading never holds a boxed object per row. */
    private static final class SplitBuilder {
        private float[] longitudes = new float[1024];
        private float[] latitudes = new float[1024];
        private int[] labels = new int[1024];
        private int size;

        void add(float longitude, float latitude, int label) {
            if (size == labels.length) {
                int capacity = Math.multiplyExact(size, 2);
                longitudes = Arrays.copyOf(longitudes, capacity);
                latitudes = Arrays.copyOf(latitudes, capacity);
                labels = Arrays.copyOf(labels, capacity);
            }
            longitudes[size] = longitude;
            latitudes[size] = latitude;
            labels[size] = label;
            size++;
        }

        Dataset.Split build() {
            float[][] features = new float[size][];
            for (int i = 0; i < size; i++) {
                features[i] = new float[] {longitudes[i], latitudes[i]};
            }
            return new Dataset.Split(features, Arrays.copyOf(labels, size));
        }
    }
}
