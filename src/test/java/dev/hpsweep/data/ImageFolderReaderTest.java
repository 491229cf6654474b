package dev.hpsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.space.InputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    private static final float EPS = 1e-6f;
    private static final List<String> SPLITS = List.of("train", "validation", "test");

    @TempDir
    Path dir;

    // --- good folders ---

    @Test
    void grayImagesAreOneChannelOfTheirOwnValuesScaledToUnitRange() {
        inEverySplit("cat/a.png", gray(new int[][] {{0, 51}, {128, 255}}));

        Dataset data = read(null, null, 1);

        assertEquals(Shape.of(1, 2, 2), data.shape());
        assertEquals(DataKind.IMAGES, data.kind());
        // 128 stays 128/255: Java2D's getRGB would have made it 188 (a gamma conversion).
        assertArrayEquals(new float[] {0f, 51 / 255f, 128 / 255f, 1f}, data.train().features()[0], EPS);
    }

    @Test
    void sixteenBitGrayIsScaledByItsOwnRange() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 65535);
        image.getRaster().setSample(1, 0, 0, 13107);
        inEverySplit("cat/a.png", image);

        assertArrayEquals(new float[] {1f, 0.2f}, read(null, null, 1).train().features()[0], EPS);
    }

    @Test
    void colourBecomesItsLuminanceWithOneChannel() {
        inEverySplit("cat/a.png", rgb(new int[][] {{0xff0000, 0x00ff00}, {0x0000ff, 0x0a141e}}));

        float[] row = read(null, null, 1).train().features()[0];

        assertArrayEquals(new float[] {0.299f, 0.587f, 0.114f, (0.299f * 10 + 0.587f * 20 + 0.114f * 30) / 255},
            row, EPS);
    }

    @Test
    void threeChannelsAreRedGreenBluePlanesOneAfterTheOther() {
        inEverySplit("cat/a.png", rgb(new int[][] {{0xff0000, 0x336699}}));

        Dataset data = read(null, null, 3);

        assertEquals(Shape.of(3, 1, 2), data.shape());
        assertArrayEquals(new float[] {1f, 0x33 / 255f, 0f, 0x66 / 255f, 0f, 0x99 / 255f},
            data.train().features()[0], EPS);
    }

    @Test
    void aGrayImageRepeatsInEveryChannelWithThree() {
        inEverySplit("cat/a.png", gray(new int[][] {{51, 255}}));

        assertArrayEquals(new float[] {0.2f, 1f, 0.2f, 1f, 0.2f, 1f}, read(null, null, 3).train().features()[0], EPS);
    }

    @Test
    void anAlphaChannelIsDropped() {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x20ff8000);
        inEverySplit("cat/a.png", image);

        assertArrayEquals(new float[] {1f, 0x80 / 255f, 0f}, read(null, null, 3).train().features()[0], EPS);
    }

    @Test
    void jpegFilesAreReadWhateverTheCaseOfTheirExtension() {
        BufferedImage uniform = gray(new int[][] {{128, 128}, {128, 128}});
        for (String split : SPLITS) {
            write(split + "/cat/a.JPG", uniform);
            write(split + "/cat/b.jpeg", uniform);
        }

        Dataset data = read(null, null, 1);

        assertEquals(2, data.train().size());
        for (float value : data.train().features()[1]) {
            assertEquals(128 / 255f, value, 2 / 255f);
        }
    }

    @Test
    void classesAreTheSortedFolderNamesAndFilesAreReadInNameOrder() {
        for (String split : SPLITS) {
            write(split + "/dog/b.png", gray(new int[][] {{20}}));
            write(split + "/dog/a.png", gray(new int[][] {{10}}));
            write(split + "/cat/z.png", gray(new int[][] {{30}}));
            write(split + "/bird/m.png", gray(new int[][] {{40}}));
        }

        Dataset data = read(null, null, 1);

        assertEquals(List.of("bird", "cat", "dog"), data.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 2}, data.train().labels());
        float[][] rows = data.train().features();
        assertArrayEquals(new float[] {40 / 255f, 30 / 255f, 10 / 255f, 20 / 255f},
            new float[] {rows[0][0], rows[1][0], rows[2][0], rows[3][0]}, EPS);
    }

    @Test
    void hiddenEntriesAndFilesThatAreNotImagesAreSkipped() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{10}}));
        Files.writeString(dir.resolve("train/cat/README.txt"), "not an image");
        Files.writeString(dir.resolve("train/cat/.DS_Store"), "junk");
        Files.writeString(dir.resolve("train/labels.csv"), "junk");
        write("train/.ipynb_checkpoints/x.png", gray(new int[][] {{10}}));

        Dataset data = read(null, null, 1);

        assertEquals(List.of("cat"), data.classNames());
        assertEquals(1, data.train().size());
    }

    @Test
    void aGivenSizeResizesBilinearlyTwoByTwoToThreeByThree() {
        inEverySplit("cat/a.png", gray(new int[][] {{0, 51}, {102, 255}}));

        Dataset data = read(3, 3, 1);

        assertEquals(Shape.of(1, 3, 3), data.shape());
        // Corners are the pixels, edges the means of two, the centre the mean of all four.
        assertArrayEquals(new float[] {
            0f, 25.5f / 255, 51f / 255,
            51f / 255, 102f / 255, 153f / 255,
            102f / 255, 178.5f / 255, 1f}, data.train().features()[0], EPS);
    }

    @Test
    void resizingAlignsPixelCentresRatherThanCorners() {
        inEverySplit("cat/a.png", gray(new int[][] {{0, 255}}));

        // Output centres 0.5, 1.5, 2.5, 3.5 map to input -0.25 (clamped), 0.25, 0.75, 1.25 (clamped);
        // aligning corners would give 0, 1/3, 2/3, 1 instead.
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, read(1, 4, 1).train().features()[0], EPS);
    }

    @Test
    void aGivenSizeLetsImagesOfDifferentSizesShareOneShape() {
        for (String split : SPLITS) {
            write(split + "/cat/a.png", gray(new int[][] {{10, 10}, {10, 10}}));
            write(split + "/cat/b.png", gray(new int[][] {{10, 10, 10}}));
        }

        Dataset data = read(2, 2, 1);

        assertArrayEquals(data.train().features()[0], data.train().features()[1]);
        assertArrayEquals(new float[] {10 / 255f, 10 / 255f, 10 / 255f, 10 / 255f}, data.train().features()[1], EPS);
    }

    @Test
    void theSameImagesGiveTheSameFingerprintWhereverTheyLie() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{1, 2}, {3, 4}}));
        inEverySplit("dog/a.png", gray(new int[][] {{5, 6}, {7, 8}}));
        Dataset here = read(null, null, 1);
        Path other = Files.createDirectory(dir.resolve("elsewhere"));
        for (String split : SPLITS) {
            for (String file : List.of("cat/a.png", "dog/a.png")) {
                Files.createDirectories(other.resolve(split + "/" + file).getParent());
                Files.copy(dir.resolve(split + "/" + file), other.resolve(split + "/" + file));
            }
        }

        Dataset there = ImageFolderReader.read(other.resolve("train"), other.resolve("validation"),
            other.resolve("test"), null, null, 1);

        assertEquals(here.fingerprint(), there.fingerprint());
    }

    // --- bad input ---

    @Test
    void aMissingFolderNamesItAndItsSplit() {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        Path missing = dir.resolve("nowhere");

        InputException e = assertThrows(InputException.class, () -> ImageFolderReader.read(dir.resolve("train"),
            missing, dir.resolve("test"), null, null, 1));

        assertEquals(missing.toString(), e.source());
        assertTrue(e.rule().startsWith("the validation folder does not exist; expected a folder with one "
            + "sub-folder per class"), e.rule());
    }

    @Test
    void aFileWhereAFolderBelongsIsRefused() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        Path file = Files.writeString(dir.resolve("test.txt"), "x");

        InputException e = assertThrows(InputException.class, () -> ImageFolderReader.read(dir.resolve("train"),
            dir.resolve("validation"), file, null, null, 1));

        assertEquals(file.toString(), e.source());
        assertTrue(e.rule().startsWith("is a file, but the test split must be a folder"), e.rule());
    }

    @Test
    void aFolderWithoutClassSubFoldersSaysWhereItsImagesShouldGo() {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        write("flat/a.png", gray(new int[][] {{1}}));

        InputException e = assertThrows(InputException.class, () -> ImageFolderReader.read(dir.resolve("flat"),
            dir.resolve("validation"), dir.resolve("test"), null, null, 1));

        assertEquals(dir.resolve("flat").toString(), e.source());
        assertEquals("the train folder has no class sub-folders (it holds 1 image directly); expected one sub-folder "
            + "per class holding its .png, .jpg or .jpeg images (e.g. cat/1.png, dog/1.png)", e.rule());
    }

    @Test
    void aClassWithoutImagesIsNamed() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        Files.createDirectories(dir.resolve("train/dog"));
        Files.writeString(dir.resolve("train/dog/notes.txt"), "no images yet");

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(dir.resolve("train/dog").toString(), e.source());
        assertEquals("class 'dog' of the train split has no .png, .jpg or .jpeg images", e.rule());
    }

    @Test
    void aFileThatIsNotAnImageDespiteItsNameDoesNotDecode() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        Path broken = Files.writeString(dir.resolve("validation/cat/b.png"), "not a png");

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(broken.toString(), e.source());
        assertEquals("cannot decode the image: not a PNG or JPEG file", e.rule());
    }

    @Test
    void aTruncatedPngDoesNotDecode() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{1, 2}, {3, 4}}));
        byte[] whole = Files.readAllBytes(dir.resolve("test/cat/a.png"));
        Path truncated = Files.write(dir.resolve("test/cat/b.png"), Arrays.copyOf(whole, 40));

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(truncated.toString(), e.source());
        assertTrue(e.rule().startsWith("cannot decode the image: "), e.rule());
    }

    @Test
    void imagesOfMixedSizesWithoutASizeNameTheFirstThatDiffersAndBothSizes() {
        inEverySplit("cat/a.png", gray(new int[][] {{1, 2}, {3, 4}}));
        write("validation/cat/b.png", gray(new int[][] {{1, 2}, {3, 4}, {5, 6}}));

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(dir.resolve("validation/cat/b.png").toString(), e.source());
        assertEquals("is 3x2 pixels (height x width), but " + dir.resolve("train/cat/a.png") + " is 2x2; give the "
            + "data set a size: [H, W] to resize every image, or make them all the same size", e.rule());
    }

    @Test
    void aSplitWithoutOneOfTheTrainingClassesIsNamed() {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        write("train/dog/a.png", gray(new int[][] {{1}}));
        write("test/dog/a.png", gray(new int[][] {{1}}));

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(dir.resolve("validation").toString(), e.source());
        assertEquals("the validation split has no class 'dog', which the train split has; every split needs the "
            + "same classes (train: cat, dog; validation: cat)", e.rule());
    }

    @Test
    void aSplitWithAClassTheTrainingSplitLacksIsNamed() {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        write("test/cow/a.png", gray(new int[][] {{1}}));

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(dir.resolve("test").toString(), e.source());
        assertEquals("the test split has class 'cow', which the train split lacks; every split needs the same "
            + "classes (train: cat; test: cat, cow)", e.rule());
    }

    @Test
    void anImageInAFormatNotReadIsRefusedRatherThanSkipped() throws IOException {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        Path bmp = dir.resolve("train/cat/b.BMP");
        ImageIO.write(gray(new int[][] {{1}}), "bmp", bmp.toFile());

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(bmp.toString(), e.source());
        assertTrue(e.rule().startsWith("only .png, .jpg and .jpeg images are read"), e.rule());
    }

    @Test
    void aFolderInsideAClassIsRefusedRatherThanSkipped() {
        inEverySplit("cat/a.png", gray(new int[][] {{1}}));
        write("train/cat/more/b.png", gray(new int[][] {{1}}));

        InputException e = assertThrows(InputException.class, () -> read(null, null, 1));

        assertEquals(dir.resolve("train/cat/more").toString(), e.source());
        assertTrue(e.rule().startsWith("is a folder inside class 'cat' of the train split"), e.rule());
    }

    // --- helpers ---

    private Dataset read(Integer height, Integer width, int channels) {
        return ImageFolderReader.read(dir.resolve("train"), dir.resolve("validation"), dir.resolve("test"), height,
            width, channels);
    }

    private void inEverySplit(String relative, BufferedImage image) {
        for (String split : SPLITS) {
            write(split + "/" + relative, image);
        }
    }

    /** Writes {@code image} under the temp folder, in the format its extension names. */
    private void write(String relative, BufferedImage image) {
        Path file = dir.resolve(relative);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : "jpg";
        try {
            Files.createDirectories(file.getParent());
            assertTrue(ImageIO.write(image, format, file.toFile()), "no " + format + " writer for " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An 8-bit gray image, {@code values[row][column]}. */
    private static BufferedImage gray(int[][] values) {
        BufferedImage image = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[y].length; x++) {
                image.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
        return image;
    }

    /** An RGB image, {@code rgb[row][column]} as 0xRRGGBB. */
    private static BufferedImage rgb(int[][] rgb) {
        BufferedImage image = new BufferedImage(rgb[0].length, rgb.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.length; y++) {
            for (int x = 0; x < rgb[y].length; x++) {
                image.setRGB(x, y, rgb[y][x]);
            }
        }
        return image;
    }
}
