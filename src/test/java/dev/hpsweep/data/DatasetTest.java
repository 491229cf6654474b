package dev.hpsweep.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    private static final List<String> FEATURES = List.of("long", "lat");
    private static final List<String> CLASSES = List.of("A", "B");

    @Test
    void fingerprintIsAFixedSha256OfTheContent() {
        // Pinned so that a change to the canonical encoding (which would orphan every recorded
        // fingerprint) cannot go unnoticed.
        Dataset data = dataset("x", split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 1),
            split(new float[] {5f, 6f}, 1), CLASSES);

        assertEquals("d23783d1281b34d46a6e0d64d87379c9b9d338caef930e1e26f9c498f7ad4cb7", data.fingerprint());
    }

    @Test
    void fingerprintIgnoresTheName() {
        Dataset a = dataset("a", split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 1),
            split(new float[] {5f, 6f}, 1), CLASSES);
        Dataset b = dataset("b", split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 1),
            split(new float[] {5f, 6f}, 1), CLASSES);

        assertEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void fingerprintChangesWhenARowMovesToAnotherSplit() {
        Dataset a = dataset("x", split(new float[] {1f, 2f}, 0, new float[] {3f, 4f}, 1),
            split(new float[] {5f, 6f}, 1), split(new float[] {7f, 8f}, 0), CLASSES);
        Dataset b = dataset("x", split(new float[] {1f, 2f}, 0),
            split(new float[] {3f, 4f}, 1, new float[] {5f, 6f}, 1), split(new float[] {7f, 8f}, 0), CLASSES);

        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void fingerprintChangesWithTheClassNames() {
        Dataset a = dataset("x", split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 1),
            split(new float[] {5f, 6f}, 1), CLASSES);
        Dataset b = dataset("x", split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 1),
            split(new float[] {5f, 6f}, 1), List.of("A", "C"));

        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void aLabelOutsideTheClassesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dataset("x",
            split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 2), split(new float[] {5f, 6f}, 1), CLASSES));

        assertEquals("labels must lie in [0, 2), but validation row 0 has label 2", e.getMessage());
    }

    @Test
    void aSplitWithTheWrongNumberOfFeaturesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dataset("x",
            split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 1), split(new float[] {5f}, 1), CLASSES));

        assertEquals("test has 1 feature columns, but featureNames has 2", e.getMessage());
    }

    @Test
    void classNamesMustMatchNumClasses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dataset("x",
            FEATURES, split(new float[] {1f, 2f}, 0), split(new float[] {3f, 4f}, 0), split(new float[] {5f, 6f}, 0),
            3, CLASSES));

        assertEquals("classNames must have numClasses=3 entries, but got 2", e.getMessage());
    }

    @Test
    void raggedRowsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Dataset.Split(new float[][] {{1f, 2f}, {3f}}, new int[] {0, 1}));

        assertEquals("every row must have 2 features, but row 1 has 1", e.getMessage());
    }

    @Test
    void negativeLabelsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Dataset.Split(new float[][] {{1f, 2f}}, new int[] {-1}));

        assertTrue(e.getMessage().contains("labels must be >= 0"), e.getMessage());
    }

    @Test
    void rowAndLabelCountsMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Dataset.Split(new float[][] {{1f, 2f}}, new int[] {0, 1}));

        assertEquals("features and labels must have the same number of rows, but got 1 and 2", e.getMessage());
    }

    private static Dataset dataset(String name, Dataset.Split train, Dataset.Split validation,
                                          Dataset.Split test, List<String> classes) {
        return new Dataset(name, FEATURES, train, validation, test, classes.size(), classes);
    }

    private static Dataset.Split split(float[] row, int label) {
        return new Dataset.Split(new float[][] {row}, new int[] {label});
    }

    private static Dataset.Split split(float[] row1, int label1, float[] row2, int label2) {
        return new Dataset.Split(new float[][] {row1, row2}, new int[] {label1, label2});
    }
}
