package dev.hpsweep.data;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded Fashion-MNIST image data sets built by tools/fashion-shirts/build.sh. */
class FashionDatasetsTest {
    // Change only when tools/fashion-shirts/build.sh produces different data; update them together
    // with the regenerated files (their SOURCE.md lists the file hashes).
    private static final String FASHION_SHIRTS_FINGERPRINT =
        "b64a94ed5584ffedba9c6a0feba5f94f4333bcf2a53715bfd6ed84798eb6ac66";
    private static final String FASHION_PRETRAIN_FINGERPRINT =
        "d47a3b54e30d3134f383d60b2b07ca08e49e5dd28e45f98591fc162fa60a84e1";

    private static final List<String> PRETRAIN_CLASSES =
        List.of("trouser", "pullover", "dress", "coat", "sandal", "sneaker", "bag", "ankle-boot");

    @Test
    void fashionShirtsIsABinaryTaskOfGrayscale28x28Images() {
        Dataset data = EmbeddedDatasets.load("fashion-shirts");

        assertEquals("fashion-shirts", data.name());
        assertEquals(Shape.of(1, 28, 28), data.shape());
        assertEquals(DataKind.IMAGES, data.kind());
        assertEquals(List.of("t-shirt", "shirt"), data.classNames());
        assertEquals(784, data.numFeatures());
        assertEquals(784, data.train().numFeatures());
    }

    @Test
    void fashionShirtsHas500TrainAnd200ValidationAnd200TestImagesPerClass() {
        Dataset data = EmbeddedDatasets.load("fashion-shirts");

        assertArrayEquals(new int[] {500, 500}, countPerClass(data.train(), 2));
        assertArrayEquals(new int[] {200, 200}, countPerClass(data.validation(), 2));
        assertArrayEquals(new int[] {200, 200}, countPerClass(data.test(), 2));
    }

    @Test
    void fashionPretrainHasTheOtherEightClassesIn28x28Images() {
        Dataset data = EmbeddedDatasets.load("fashion-pretrain");

        assertEquals(Shape.of(1, 28, 28), data.shape());
        assertEquals(DataKind.IMAGES, data.kind());
        assertEquals(PRETRAIN_CLASSES, data.classNames());
    }

    @Test
    void fashionPretrainHas750TrainAnd100ValidationAnd100TestImagesPerClass() {
        Dataset data = EmbeddedDatasets.load("fashion-pretrain");

        for (int label = 0; label < 8; label++) {
            String name = data.classNames().get(label);
            assertEquals(750, countPerClass(data.train(), 8)[label], name);
            assertEquals(100, countPerClass(data.validation(), 8)[label], name);
            assertEquals(100, countPerClass(data.test(), 8)[label], name);
        }
    }

    @Test
    void classCountsMatchLabelsCsv() throws IOException {
        for (String name : List.of("fashion-shirts", "fashion-pretrain")) {
            Dataset data = EmbeddedDatasets.load(name);
            List<String[]> rows = labelsCsvRows(name);
            assertEquals(data.numClasses(), rows.size(), name);
            for (String[] row : rows) {
                int label = Integer.parseInt(row[0]);
                assertEquals(row[1], data.classNames().get(label), name);
                assertEquals(Integer.parseInt(row[3]), countPerClass(data.train(), data.numClasses())[label], row[1]);
                assertEquals(Integer.parseInt(row[4]), countPerClass(data.validation(), data.numClasses())[label], row[1]);
                assertEquals(Integer.parseInt(row[5]), countPerClass(data.test(), data.numClasses())[label], row[1]);
            }
        }
    }

    @Test
    void pixelsAreMultiplesOf1Over255SpanningZeroToOne() {
        for (String name : List.of("fashion-shirts", "fashion-pretrain")) {
            Dataset data = EmbeddedDatasets.load(name);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (Dataset.Split split : splits(data)) {
                for (float[] image : split.features()) {
                    for (float value : image) {
                        int level = Math.round(value * 255f);
                        assertTrue(level >= 0 && level <= 255 && value == level / 255f, name + ": pixel " + value);
                        min = Math.min(min, value);
                        max = Math.max(max, value);
                    }
                }
            }
            assertEquals(0f, min, name);
            assertEquals(1f, max, name);
        }
    }

    @Test
    void noImageAppearsTwiceInOrAcrossTheSplitsOfBothDataSets() {
        Map<ByteBuffer, String> seen = new HashMap<>();
        for (String name : List.of("fashion-shirts", "fashion-pretrain")) {
            Dataset data = EmbeddedDatasets.load(name);
            String[] splitNames = {"train", "validation", "test"};
            List<Dataset.Split> splits = splits(data);
            for (int s = 0; s < splits.size(); s++) {
                float[][] images = splits.get(s).features();
                for (int row = 0; row < images.length; row++) {
                    String where = name + " " + splitNames[s] + " row " + row;
                    String earlier = seen.put(pixelKey(images[row]), where);
                    assertNull(earlier, () -> where + " has the same pixels as " + earlier);
                }
            }
        }
        assertEquals(1800 + 7600, seen.size());
    }

    @Test
    void imagesAreNotBlank() {
        for (String name : List.of("fashion-shirts", "fashion-pretrain")) {
            for (Dataset.Split split : splits(EmbeddedDatasets.load(name))) {
                for (float[] image : split.features()) {
                    float sum = 0;
                    for (float value : image) {
                        sum += value;
                    }
                    assertTrue(sum > 1f, name + ": an almost blank image, pixel sum " + sum);
                }
            }
        }
    }

    @Test
    void loadReturnsTheCachedInstanceAndAFreshReadHasTheSameFingerprint() {
        for (String name : List.of("fashion-shirts", "fashion-pretrain")) {
            Dataset cached = EmbeddedDatasets.load(name);
            Dataset fresh = EmbeddedDatasets.loadUncached(name);

            assertSame(cached, EmbeddedDatasets.load(name));
            assertNotSame(cached, fresh);
            assertEquals(cached.fingerprint(), fresh.fingerprint(), name);
        }
    }

    @Test
    void fingerprintsMatchThePinnedValues() {
        assertEquals(FASHION_SHIRTS_FINGERPRINT, EmbeddedDatasets.load("fashion-shirts").fingerprint());
        assertEquals(FASHION_PRETRAIN_FINGERPRINT, EmbeddedDatasets.load("fashion-pretrain").fingerprint());
    }

    private static List<Dataset.Split> splits(Dataset data) {
        return List.of(data.train(), data.validation(), data.test());
    }

    private static ByteBuffer pixelKey(float[] image) {
        byte[] levels = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            levels[i] = (byte) Math.round(image[i] * 255f);
        }
        return ByteBuffer.wrap(levels);
    }

    private static int[] countPerClass(Dataset.Split split, int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : split.labels()) {
            counts[label]++;
        }
        return counts;
    }

    private static List<String[]> labelsCsvRows(String name) throws IOException {
        InputStream in = FashionDatasetsTest.class.getResourceAsStream("/datasets/" + name + "/labels.csv");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            assertEquals("label,class,fashion_mnist_label,train,validation,test", reader.readLine());
            return reader.lines().map(line -> line.split(",")).toList();
        }
    }
}
