package dev.hpsweep.data;

import dev.hpsweep.space.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvDatasetReaderTest {
    private static final String VALIDATION = "long,lat,country\n2.35,48.85,1\n";
    private static final String TEST = "long,lat,country\n13.4,52.52,0\n";

    @TempDir
    Path dir;

    @Test
    void readsThreeColumnFilesIntoFeaturesAndLabels() throws IOException {
        Dataset data = read("long,lat,country\n13.40495,52.52001,0\n2.3488,48.85341,1\n-3.70256,40.4165,2\n");

        assertEquals(List.of("long", "lat"), data.featureNames());
        assertEquals(3, data.train().size());
        assertArrayEquals(new float[] {13.40495f, 52.52001f}, data.train().features()[0]);
        assertArrayEquals(new float[] {-3.70256f, 40.4165f}, data.train().features()[2]);
        assertArrayEquals(new int[] {0, 1, 2}, data.train().labels());
        assertEquals(1, data.validation().size());
        assertEquals(1, data.test().size());
    }

    @Test
    void numClassesIsTheLargestLabelOfAnySplitPlusOneAndClassNamesAreTheLabels() throws IOException {
        Dataset data = read("long,lat,country\n1,2,0\n1,3,1\n",
            "long,lat,country\n1,2,4\n", "long,lat,country\n1,2,2\n");

        assertEquals(5, data.numClasses());
        assertEquals(List.of("0", "1", "2", "3", "4"), data.classNames());
    }

    @ParameterizedTest(name = "header \"{0}\"")
    @ValueSource(strings = {",long,lat,country", "Unnamed: 0,long,lat,country", "\"\",long,lat,country"})
    void skipsALeadingUnnamedIndexColumn(String header) throws IOException {
        Dataset data = read(header + "\n0,13.4,52.52,0\n1,2.35,48.85,1\n");

        assertEquals(2, data.train().size());
        assertArrayEquals(new float[] {2.35f, 48.85f}, data.train().features()[1]);
        assertArrayEquals(new int[] {0, 1}, data.train().labels());
    }

    @Test
    void acceptsTrailingBlankLinesCrlfLineEndsAndAByteOrderMark() throws IOException {
        Dataset data = read("\uFEFFlong,lat,country\r\n13.4,52.52,0\r\n2.35,48.85,1\r\n\r\n  \n");

        assertArrayEquals(new int[] {0, 1}, data.train().labels());
    }

    @Test
    void readsGzippedFilesByTheirGzSuffix() throws IOException {
        Path train = dir.resolve("train.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(train))) {
            out.write("long,lat,country\n13.4,52.52,3\n".getBytes(StandardCharsets.UTF_8));
        }

        Dataset data = CsvDatasetReader.read(train, write("v.csv", VALIDATION), write("t.csv", TEST));

        assertEquals(4, data.numClasses());
        assertArrayEquals(new float[] {13.4f, 52.52f}, data.train().features()[0]);
    }

    @Test
    void theSameContentGivesTheSameFingerprintWhereverTheFilesLie() throws IOException {
        String train = "long,lat,country\n13.4,52.52,0\n2.35,48.85,1\n";
        Dataset here = read(train);
        Path other = Files.createDirectory(dir.resolve("other"));
        Dataset there = CsvDatasetReader.read(write(other.resolve("a.csv"), "," + "long,lat,country\n7,13.4,52.52,0\n8,2.35,48.85,1\n"),
            write(other.resolve("b.csv"), VALIDATION), write(other.resolve("c.csv"), TEST));

        assertEquals(here.fingerprint(), there.fingerprint());
    }

    @Test
    void oneChangedLabelChangesTheFingerprint() throws IOException {
        Dataset before = read("long,lat,country\n13.4,52.52,0\n2.35,48.85,1\n");
        Dataset after = read("long,lat,country\n13.4,52.52,1\n2.35,48.85,1\n");

        assertNotEquals(before.fingerprint(), after.fingerprint());
    }

    @ParameterizedTest(name = "row \"{0}\" -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1.5,2.5              | 3 | expected 3 columns (long,lat,country), got 2 | ",
        "1.5,2.5,1,7          | 3 | expected 3 columns (long,lat,country), got 4 | ",
        "east,2.5,1           | 3 | long must be a finite decimal number such as 12.5 (no NaN or infinity), got 'east' | long",
        "1.5,,1               | 3 | lat must be a finite decimal number such as 12.5 (no NaN or infinity), got '' | lat",
        "1.5,NaN,1            | 3 | lat must be a finite decimal number such as 12.5 (no NaN or infinity), got 'NaN' | lat",
        "Infinity,2.5,1       | 3 | long must be a finite decimal number such as 12.5 (no NaN or infinity), got 'Infinity' | long",
        "1.5,1e999,1          | 3 | lat must be a finite decimal number within float range, got '1e999' | lat",
        "1.5,2.5,FR           | 3 | country must be a non-negative integer label, got 'FR' | country",
        "1.5,2.5,-1           | 3 | country must be a non-negative integer label, got '-1' | country",
        "1.5,2.5,1.5          | 3 | country must be a non-negative integer label, got '1.5' | country",
        "1.5,2.5,99999999999  | 3 | country must be a non-negative integer label of at most 9999, got '99999999999' | country",
    })
    void aBadRowIsAnInputExceptionWithItsLineNumberColumnAndRule(String row, int line, String rule, String key)
        throws IOException {
        Path train = write("train.csv", "long,lat,country\n0.5,0.5,0\n" + row + "\n0.5,0.5,1\n");

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals(train.toString(), e.source());
        assertEquals(line, e.line());
        assertEquals(0, e.column());
        assertEquals(key, e.key());
        assertEquals(rule, e.rule());
    }

    @Test
    void aRowOfAnIndexedFileMustHaveFourColumns() throws IOException {
        Path train = write("train.csv", ",long,lat,country\n0,0.5,0.5,0\n1,0.5,0.5\n");

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals(3, e.line());
        assertEquals("expected 4 columns (index,long,lat,country), got 3", e.rule());
    }

    @Test
    void aBadRowInTheTestFileNamesTheTestFile() throws IOException {
        Path test = write("test.csv", "long,lat,country\n1,2,0\n1,2,x\n");

        InputException e = assertThrows(InputException.class,
            () -> CsvDatasetReader.read(write("train.csv", TEST), write("validation.csv", VALIDATION), test));

        assertEquals(test.toString(), e.source());
        assertEquals(3, e.line());
    }

    @Test
    void aBlankLineBetweenRowsIsAnErrorAtThatLine() throws IOException {
        Path train = write("train.csv", "long,lat,country\n1,2,0\n\n1,2,1\n");

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals(3, e.line());
        assertEquals("blank line between data rows; only blank lines at the end of the file are allowed", e.rule());
    }

    @ParameterizedTest(name = "header \"{0}\"")
    @ValueSource(strings = {"lat,long,country", "long,lat", "x,long,lat,country", "long,lat,country,extra", "1.5,2.5,0"})
    void aWrongHeaderIsAnErrorOnLineOne(String header) throws IOException {
        Path train = write("train.csv", header + "\n1,2,0\n");

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals(1, e.line());
        assertEquals("expected the header long,lat,country (optionally after an unnamed index column: "
            + ",long,lat,country), got '" + header + "'", e.rule());
    }

    @Test
    void anEmptyFileIsAnErrorAskingForTheHeader() throws IOException {
        Path train = write("train.csv", "");

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals(0, e.line());
        assertEquals("file is empty; expected the header long,lat,country and at least one data row", e.rule());
    }

    @Test
    void aSplitWithOnlyAHeaderIsAnError() throws IOException {
        Path validation = write("validation.csv", "long,lat,country\n\n");

        InputException e = assertThrows(InputException.class,
            () -> CsvDatasetReader.read(write("train.csv", TEST), validation, write("test.csv", TEST)));

        assertEquals(validation.toString(), e.source());
        assertEquals("has no data rows after the header; every split needs at least one row", e.rule());
    }

    @Test
    void aMissingFileIsAnInputExceptionNamingIt() throws IOException {
        Path missing = dir.resolve("nope.csv");

        InputException e = assertThrows(InputException.class,
            () -> CsvDatasetReader.read(write("train.csv", TEST), missing, write("test.csv", TEST)));

        assertEquals(missing.toString(), e.source());
        assertEquals(0, e.line());
        assertNull(e.key());
        assertEquals("file not found; expected a CSV file with the header long,lat,country", e.rule());
    }

    @Test
    void aDirectoryInsteadOfAFileIsAnInputException() throws IOException {
        InputException e = assertThrows(InputException.class, () -> readWithTrain(dir));

        assertEquals("is a directory; expected a CSV file with the header long,lat,country", e.rule());
    }

    @Test
    void bytesThatAreNotUtf8AreAnInputException() throws IOException {
        Path train = dir.resolve("train.csv");
        Files.write(train, new byte[] {'l', 'o', 'n', 'g', ',', 'l', 'a', 't', ',', 'c', 'o', 'u', 'n', 't', 'r', 'y',
            '\n', '1', ',', '2', ',', (byte) 0xff, '\n'});

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals("is not valid UTF-8 text; save the file as UTF-8 or ASCII", e.rule());
    }

    @Test
    void aLineLongerThanTheLimitIsAnErrorAtItsLine() throws IOException {
        Path train = write("train.csv", "long,lat,country\n1,2,0\n1,2," + "0".repeat(CsvDatasetReader.MAX_LINE_CHARS) + "\n");

        InputException e = assertThrows(InputException.class, () -> readWithTrain(train));

        assertEquals(train + ":3: line is longer than " + CsvDatasetReader.MAX_LINE_CHARS + " characters; a row of "
            + "long,lat,country is a few dozen (is this the right file?)", e.getMessage());
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAsARow() throws IOException {
        String row = "1,2,7";
        String padded = " ".repeat(CsvDatasetReader.MAX_LINE_CHARS - row.length()) + row;

        Dataset data = read("long,lat,country\r\n" + padded + "\r\n3,4,1\r");

        assertArrayEquals(new int[] {7, 1}, data.train().labels());
    }

    private Dataset read(String train) throws IOException {
        return read(train, VALIDATION, TEST);
    }

    private Dataset read(String train, String validation, String test) throws IOException {
        return CsvDatasetReader.read(write("train.csv", train), write("validation.csv", validation),
            write("test.csv", test));
    }

    private Dataset readWithTrain(Path train) throws IOException {
        return CsvDatasetReader.read(train, write("validation.csv", VALIDATION), write("test.csv", TEST));
    }

    private Path write(String name, String content) throws IOException {
        return write(dir.resolve(name), content);
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
