package dev.hpsweep.data;

import dev.hpsweep.space.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.GZIPInputStream;

/**
 * The data sets shipped inside the jar, under {@code /datasets/<name>/} on the class path:
 * {@code train.csv.gz}, {@code validation.csv.gz}, {@code test.csv.gz} in the {@link CsvDatasetReader}
 * format and {@code labels.csv} ({@code label,country_code,cities}) naming the classes. They are
 * built by the scripts under {@code tools/}; each folder's {@code SOURCE.md} says how.
 *
 * <p>A loaded data set is cached for the life of the JVM, so the trials of a sweep share one copy.
 */
public final class EmbeddedDatasets {
    /** GeoNames cities of 35 European countries: classify the country from (longitude, latitude). */
    public static final String EUROPE_CITIES = "europe-cities";

    private static final SortedSet<String> NAMES = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(EUROPE_CITIES)));
    private static final String LABELS_HEADER = "label,country_code,cities";
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
            List<String> classNames = readClassNames(folder + "labels.csv");
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

    private static List<String> readClassNames(String resource) throws IOException {
        try (BufferedReader reader = CsvDatasetReader.newReader(open(resource))) {
            String header = reader.readLine();
            if (!LABELS_HEADER.equals(header)) {
                throw new IllegalStateException(resource + ": expected the header " + LABELS_HEADER + ", got '" + header + "'");
            }
            List<String> names = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null && !line.isBlank()) {
                String[] cells = line.split(",", -1);
                if (cells.length != 3 || !cells[0].equals(Integer.toString(names.size()))) {
                    throw new IllegalStateException(resource + ": expected row '" + names.size()
                        + ",<code>,<count>', got '" + line + "'");
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
