package dev.hpsweep.data;

import dev.hpsweep.space.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.GZIPInputStream;

/**
 * The data sets shipped inside the jar, under {@code /datasets/<name>/} on the class path, each
 * with a {@code labels.csv} whose first two columns are the label and the class name:
 * <ul>
 * <li>tabular: {@code train.csv.gz}, {@code validation.csv.gz}, {@code test.csv.gz} in the
 * {@link CsvDatasetReader} format, {@code labels.csv} being {@code label,country_code,cities};</li>
 * <li>images: {@code train.idx.gz}, {@code validation.idx.gz}, {@code test.idx.gz}, gzip of the
 * magic {@code HPSWIMG1}, big-endian uint32 N, C, H, W, then N records of C*H*W uint8 pixels and a
 * uint8 label; pixels are scaled to [0, 1] on loading.</li>
 * </ul>
 * They are built by the scripts under {@code tools/}; each folder's {@code SOURCE.md} says how.
 *
 * <p>A loaded data set is cached for the life of the JVM, so the trials of a sweep share one copy.
 */
public final class EmbeddedDatasets {
    /** GeoNames cities of 35 European countries: classify the country from (longitude, latitude). */
    public static final String EUROPE_CITIES = "europe-cities";
    /** Fashion-MNIST T-shirt/top vs Shirt, 1x28x28: a balanced binary image task. */
    public static final String FASHION_SHIRTS = "fashion-shirts";
    /** Fashion-MNIST's other 8 classes, 1x28x28: a pre-training set for {@link #FASHION_SHIRTS}. */
    public static final String FASHION_PRETRAIN = "fashion-pretrain";

    private enum Format { CITY_CSV, IMAGES }

    private static final Map<String, Format> FORMATS = Map.of(
        EUROPE_CITIES, Format.CITY_CSV, FASHION_SHIRTS, Format.IMAGES, FASHION_PRETRAIN, Format.IMAGES);
    private static final SortedSet<String> NAMES = Collections.unmodifiableSortedSet(new TreeSet<>(FORMATS.keySet()));
    private static final String CITY_LABELS_HEADER = "label,country_code,cities";
    private static final String IMAGE_LABELS_HEADER = "label,class,fashion_mnist_label,train,validation,test";
    private static final byte[] IMAGE_MAGIC = "HPSWIMG1".getBytes(StandardCharsets.US_ASCII);
    private static final int IMAGE_HEADER_BYTES = IMAGE_MAGIC.length + 4 * Integer.BYTES;
    /** Far above any shipped file; a corrupt count must not make us allocate gigabytes. */
    private static final int MAX_IMAGE_VALUES = 1 << 28;
    private static final ConcurrentMap<String, Dataset> CACHE = new ConcurrentHashMap<>();

    private EmbeddedDatasets() {
    }

    /** The names {@link #load(String)} accepts, in alphabetical order. */
    public static Set<String> names() {
        return NAMES;
    }

    /**
     * Returns the embedded data set of this name, loading it on first use. Safe to call from many
     * threads at once: each data set is read only once, and every caller gets the same instance.
     *
     * @throws InputException        if no embedded data set has this name (the rule lists the names)
     * @throws IllegalStateException if the data set's files are missing from the jar or corrupt (a build defect)
     */
    public static Dataset load(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAMES.contains(name)) {
            throw new InputException("embedded data sets", 0, 0, "dataset.name",
                "unknown data set '" + name + "'; allowed names: " + String.join(", ", NAMES));
        }
        return CACHE.computeIfAbsent(name, EmbeddedDatasets::loadUncached);
    }

    /** Reads the data set from the class path every time; {@link #load(String)} is the cached entry point. */
    static Dataset loadUncached(String name) {
        String folder = "/datasets/" + name + "/";
        try {
            if (FORMATS.get(name) == Format.IMAGES) {
                return loadImages(name, folder);
            }
            List<String> classNames = readClassNames(folder + "labels.csv", CITY_LABELS_HEADER);
            return new Dataset(name, CsvDatasetReader.FEATURE_NAMES,
                readSplit(folder + "train.csv.gz"),
                readSplit(folder + "validation.csv.gz"),
                readSplit(folder + "test.csv.gz"),
                classNames.size(), classNames);
        } catch (InputException | IllegalArgumentException e) {
            throw new IllegalStateException("embedded data set '" + name + "' is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded data set '" + name + "'", e);
        }
    }

    private static Dataset.Split readSplit(String resource) throws IOException {
        try (BufferedReader reader = CsvDatasetReader.newReader(new GZIPInputStream(open(resource), 64 * 1024))) {
            return CsvDatasetReader.parse(reader, "classpath:" + resource);
        }
    }

    private static Dataset loadImages(String name, String folder) throws IOException {
        List<String> classNames = readClassNames(folder + "labels.csv", IMAGE_LABELS_HEADER);
        ImageSplit train = readImageSplit(folder + "train.idx.gz");
        ImageSplit validation = readImageSplit(folder + "validation.idx.gz");
        ImageSplit test = readImageSplit(folder + "test.idx.gz");
        if (!train.shape.equals(validation.shape) || !train.shape.equals(test.shape)) {
            throw new IllegalStateException(folder + ": the splits' shapes differ: train " + train.shape
                + ", validation " + validation.shape + ", test " + test.shape);
        }
        return new Dataset(name, train.shape, train.split, validation.split, test.split,
            classNames.size(), classNames);
    }

    private record ImageHeader(int count, Shape shape) {
    }

    private record ImageSplit(Shape shape, Dataset.Split split) {
    }

    private static ImageHeader imageHeader(String resource, ByteBuffer bytes) {
        if (bytes.remaining() < IMAGE_HEADER_BYTES) {
            throw new IllegalStateException(resource + ": shorter than the " + IMAGE_HEADER_BYTES + "-byte header");
        }
        byte[] magic = new byte[IMAGE_MAGIC.length];
        bytes.get(magic);
        if (!Arrays.equals(magic, IMAGE_MAGIC)) {
            throw new IllegalStateException(resource + ": expected the magic HPSWIMG1, got '"
                + new String(magic, StandardCharsets.US_ASCII) + "'");
        }
        int count = bytes.getInt();
        int channels = bytes.getInt();
        int height = bytes.getInt();
        int width = bytes.getInt();
        if (count < 0 || channels < 1 || height < 1 || width < 1
                || (long) count * channels * height * width > MAX_IMAGE_VALUES) {
            throw new IllegalStateException(resource + ": implausible header N=" + count + ", C=" + channels
                + ", H=" + height + ", W=" + width);
        }
        return new ImageHeader(count, Shape.of(channels, height, width));
    }

    // One readAllBytes and a tight loop: the largest file (~6 MB unpacked) loads in tens of ms.
    private static ImageSplit readImageSplit(String resource) throws IOException {
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(open(resource), 64 * 1024)) {
            bytes = in.readAllBytes();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes); // big-endian
        ImageHeader header = imageHeader(resource, buffer);
        int pixels = header.shape.size();
        long expected = IMAGE_HEADER_BYTES + (long) header.count * (pixels + 1);
        if (bytes.length != expected) {
            throw new IllegalStateException(resource + ": " + header.count + " images of " + header.shape
                + " need " + expected + " bytes, but the file has " + bytes.length);
        }
        float[][] features = new float[header.count][pixels];
        int[] labels = new int[header.count];
        int offset = IMAGE_HEADER_BYTES;
        for (int row = 0; row < header.count; row++) {
            float[] image = features[row];
            for (int i = 0; i < pixels; i++) {
                image[i] = (bytes[offset + i] & 0xff) / 255f;
            }
            offset += pixels;
            labels[row] = bytes[offset++] & 0xff;
        }
        return new ImageSplit(header.shape, new Dataset.Split(features, labels));
    }

    private static List<String> readClassNames(String resource, String expectedHeader) throws IOException {
        int columns = expectedHeader.split(",").length;
        try (BufferedReader reader = CsvDatasetReader.newReader(open(resource))) {
            String header = reader.readLine();
            if (!expectedHeader.equals(header)) {
                throw new IllegalStateException(resource + ": expected the header " + expectedHeader + ", got '" + header + "'");
            }
            List<String> names = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null && !line.isBlank()) {
                String[] cells = line.split(",", -1);
                if (cells.length != columns || !cells[0].equals(Integer.toString(names.size()))) {
                    throw new IllegalStateException(resource + ": expected row " + names.size()
                        + " with the " + columns + " columns " + expectedHeader + ", got '" + line + "'");
                }
                names.add(cells[1]);
            }
            if (names.isEmpty()) {
                throw new IllegalStateException(resource + ": no classes");
            }
            return names;
        }
    }

    private static InputStream open(String resource) {
        InputStream in = EmbeddedDatasets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("class-path resource " + resource
                + " is missing; the jar was built without the embedded data sets");
        }
        return in;
    }
}
