package dev.hpsweep.data;

import dev.hpsweep.space.DatasetSpec;
import dev.hpsweep.space.InputException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatasetsTest {
    // Changes only when tools/europe-cities/build.sh produces different data; update it together
    // with the regenerated files (their SOURCE.md lists the file hashes).
    private static final String EUROPE_CITIES_FINGERPRINT =
        "3f822c24821ea86fe511dd941084eabb56e01a82fe2085f2da07fac0c409a6aa";

    @Test
    void namesListTheEmbeddedDataSetsInAlphabeticalOrder() {
        assertEquals(List.of("europe-cities", "fashion-pretrain", "fashion-shirts"), List.copyOf(EmbeddedDatasets.names()));
    }

    @Test
    void theSearchSpaceKnowsTheSameNames() {
        assertEquals(List.copyOf(EmbeddedDatasets.names()), DatasetSpec.EMBEDDED_NAMES);
    }

    @Test
    void europeCitiesHas35CountriesAsClassesAndTwoCoordinateFeatures() {
        Dataset data = EmbeddedDatasets.load("europe-cities");

        assertEquals("europe-cities", data.name());
        assertEquals(List.of("long", "lat"), data.featureNames());
        assertEquals(35, data.numClasses());
        assertEquals(35, data.classNames().size());
        assertEquals("AL", data.classNames().get(0));
        assertTrue(data.classNames().contains("FR"), "FR is a class");
        assertEquals(2, data.train().numFeatures());
    }

    @Test
    void europeCitiesSplitsAbout69kRowsRoughly70To15To15() {
        Dataset data = EmbeddedDatasets.load("europe-cities");
        double total = data.train().size() + data.validation().size() + data.test().size();

        assertTrue(total > 65_000 && total < 73_000, "about 69k rows, got " + total);
        assertEquals(0.70, data.train().size() / total, 0.005);
        assertEquals(0.15, data.validation().size() / total, 0.005);
        assertEquals(0.15, data.test().size() / total, 0.005);
    }

    @Test
    void everyCountryIsSplitRoughly70To15To15() {
        Dataset data = EmbeddedDatasets.load("europe-cities");
        int[] train = countPerClass(data.train(), data.numClasses());
        int[] validation = countPerClass(data.validation(), data.numClasses());
        int[] test = countPerClass(data.test(), data.numClasses());

        for (int label = 0; label < data.numClasses(); label++) {
            double total = train[label] + validation[label] + test[label];
            // per-country rounding moves at most one row, i.e. under 1% of the smallest country (100+ rows)
            assertEquals(0.70, train[label] / total, 0.01, "train share of " + data.classNames().get(label));
            assertEquals(0.15, validation[label] / total, 0.01, "validation share of " + data.classNames().get(label));
        }
    }

    @Test
    void classCountsOfTheSplitsAddUpToTheCitiesColumnOfLabelsCsv() throws IOException {
        Dataset data = EmbeddedDatasets.load("europe-cities");
        int[] train = countPerClass(data.train(), data.numClasses());
        int[] validation = countPerClass(data.validation(), data.numClasses());
        int[] test = countPerClass(data.test(), data.numClasses());

        List<String[]> rows = labelsCsvRows();
        assertEquals(data.numClasses(), rows.size());
        for (String[] row : rows) {
            int label = Integer.parseInt(row[0]);
            assertEquals(row[1], data.classNames().get(label));
            assertEquals(Integer.parseInt(row[2]), train[label] + validation[label] + test[label], row[1]);
        }
    }

    @Test
    void coordinatesLieInEurope() {
        Dataset data = EmbeddedDatasets.load("europe-cities");
        for (Dataset.Split split : List.of(data.train(), data.validation(), data.test())) {
            for (float[] row : split.features()) {
                assertTrue(row[0] > -32 && row[0] < 45, "longitude " + row[0]);
                assertTrue(row[1] > 27 && row[1] < 72, "latitude " + row[1]);
            }
        }
    }

    @Test
    void loadReturnsTheCachedInstanceOnTheSecondCall() {
        assertSame(EmbeddedDatasets.load("europe-cities"), EmbeddedDatasets.load("europe-cities"));
    }

    @Test
    void aFreshReadHasTheSameFingerprintAsTheCachedOne() {
        Dataset cached = EmbeddedDatasets.load("europe-cities");
        Dataset fresh = EmbeddedDatasets.loadUncached("europe-cities");

        assertNotSame(cached, fresh);
        assertEquals(cached.fingerprint(), fresh.fingerprint());
    }

    @Test
    void europeCitiesFingerprintMatchesThePinnedValue() {
        assertEquals(EUROPE_CITIES_FINGERPRINT, EmbeddedDatasets.load("europe-cities").fingerprint());
    }

    @Test
    void concurrentFirstLoadsAllGetOneInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Dataset>> loads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                loads.add(() -> EmbeddedDatasets.load("europe-cities"));
            }
            List<Future<Dataset>> results = pool.invokeAll(loads);
            Dataset first = results.get(0).get();
            for (Future<Dataset> result : results) {
                assertSame(first, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownNameIsAnInputExceptionListingTheAllowedNames() {
        InputException e = assertThrows(InputException.class, () -> EmbeddedDatasets.load("europe-citys"));

        assertEquals("dataset.name", e.key());
        assertTrue(e.rule().contains("'europe-citys'"), e.rule());
        assertTrue(e.rule().contains("allowed names: europe-cities"), e.rule());
    }

    private static int[] countPerClass(Dataset.Split split, int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : split.labels()) {
            counts[label]++;
        }
        return counts;
    }

    private static List<String[]> labelsCsvRows() throws IOException {
        InputStream in = EmbeddedDatasetsTest.class.getResourceAsStream("/datasets/europe-cities/labels.csv");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            assertEquals("label,country_code,cities", reader.readLine());
            List<String[]> rows = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                rows.add(line.split(","));
            }
            return rows;
        }
    }
}
