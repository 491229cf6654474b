package dev.hpsweep.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A classification data set with integer labels, split into train, validation and test, that
 * knows the {@link Shape} of one example: F features (tabular) or C x H x W pixels (images, each
 * row holding the channels, rows and columns flattened in that order). Immutable once built, so one
 * instance is shared by every trial of a sweep.
 *
 * <p>The splits hand out their arrays without copying (a copy of the training set per trial would
 * cost more than the trial's model): callers must treat {@link Split#features()} and
 * {@link Split#labels()} as read-only. The {@link #fingerprint()} is computed when the data set is
 * built, so a caller that broke this rule would no longer match its own fingerprint.
 */
public final class Dataset {
    /** Tabular data keeps the fingerprint it had before shapes existed, so existing sweeps resume. */
    private static final String FINGERPRINT_VERSION = "hpsweep-tabular-v1";
    private static final String SHAPED_FINGERPRINT_VERSION = "hpsweep-dataset-v2";

    private final String name;
    private final Shape shape;
    private final List<String> featureNames;
    private final Split train;
    private final Split validation;
    private final Split test;
    private final int numClasses;
    private final List<String> classNames;
    private final String fingerprint;

    /**
     * @param name         how the data set is called in logs and provenance (not part of the fingerprint)
     * @param featureNames one name per feature column; every split must have exactly this many columns
     * @param numClasses   at least 1; every label of every split must lie in {@code [0, numClasses)}
     * @param classNames   exactly {@code numClasses} names, indexed by label
     * @throws IllegalArgumentException if the parts do not fit together
     */
    public Dataset(String name, List<String> featureNames, Split train, Split validation, Split test,
                          int numClasses, List<String> classNames) {
        this(name, tabularShape(featureNames), featureNames, train, validation, test, numClasses, classNames);
    }

    private static Shape tabularShape(List<String> featureNames) {
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one feature, but got none");
        }
        return Shape.of(featureNames.size());
    }

    /**
     * A data set of {@code shape} (for images: {@code C x H x W}); features are named
     * {@code x0, x1, ...} and each row has {@link Shape#size()} values.
     */
    public Dataset(String name, Shape shape, Split train, Split validation, Split test, int numClasses,
                   List<String> classNames) {
        this(name, shape, defaultFeatureNames(shape), train, validation, test, numClasses, classNames);
    }

    private Dataset(String name, Shape shape, List<String> featureNames, Split train, Split validation, Split test,
                    int numClasses, List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.featureNames = List.copyOf(featureNames);
        this.train = Objects.requireNonNull(train, "train");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.test = Objects.requireNonNull(test, "test");
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
        if (this.featureNames.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one feature, but got none");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses >= 1 must hold, but got numClasses=" + numClasses);
        }
        if (this.classNames.size() != numClasses) {
            throw new IllegalArgumentException("classNames must have numClasses=" + numClasses
                + " entries, but got " + this.classNames.size());
        }
        check("train", train);
        check("validation", validation);
        check("test", test);
        this.fingerprint = computeFingerprint();
    }

    private void check(String splitName, Split split) {
        if (split.size() > 0 && split.numFeatures() != featureNames.size()) {
            throw new IllegalArgumentException(splitName + " has " + split.numFeatures()
                + " feature columns, but featureNames has " + featureNames.size());
        }
        int[] labels = split.labels;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= numClasses) {
                throw new IllegalArgumentException("labels must lie in [0, " + numClasses + "), but "
                    + splitName + " row " + i + " has label " + labels[i]);
            }
        }
    }

    private static List<String> defaultFeatureNames(Shape shape) {
        String[] names = new String[shape.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = "x" + i;
        }
        return List.of(names);
    }

    public String name() { return name; }

    /** The shape of one example: {@code [F]} or {@code [C, H, W]}. */
    public Shape shape() { return shape; }

    /** Tabular for a 1-D shape, images for a 3-D one. */
    public DataKind kind() { return shape.kind(); }

    /** Column names of the features, in the order of each row of {@link Split#features()}. */
    public List<String> featureNames() { return featureNames; }

    public int numFeatures() { return featureNames.size(); }

    public Split train() { return train; }

    public Split validation() { return validation; }

    public Split test() { return test; }

    public int numClasses() { return numClasses; }

    /** Class names indexed by label: country codes for the embedded cities, "0".."K-1" for user CSVs. */
    public List<String> classNames() { return classNames; }

    /**
     * Lower-case hex SHA-256 of the content: feature names, class names, then the train, validation
     * and test splits in that order, row by row (feature values as IEEE-754 bits, then the label).
     * The same content gives the same fingerprint on every run and JVM, wherever it was read from;
     * the data set's {@link #name()} is left out for that reason.
     */
    public String fingerprint() { return fingerprint; }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + shape + ", " + numClasses
            + " classes, train=" + train.size() + ", validation=" + validation.size() + ", test=" + test.size()
            + ", fingerprint=" + fingerprint + "]";
    }

    private String computeFingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024); // big-endian, whatever the platform
        if (shape.kind() == DataKind.TABULAR) {
            putString(digest, buffer, FINGERPRINT_VERSION);
        } else {
            putString(digest, buffer, SHAPED_FINGERPRINT_VERSION);
            putInt(digest, buffer, shape.dims().size());
            shape.dims().forEach(d -> putInt(digest, buffer, d));
        }
        putStrings(digest, buffer, featureNames);
        putStrings(digest, buffer, classNames);
        for (Split split : List.of(train, validation, test)) {
            putInt(digest, buffer, split.size());
            for (int row = 0; row < split.size(); row++) {
                for (float value : split.features[row]) {
                    ensureRoom(digest, buffer, Float.BYTES);
                    buffer.putInt(Float.floatToIntBits(value));
                }
                putInt(digest, buffer, split.labels[row]);
            }
        }
        flush(digest, buffer);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void putStrings(MessageDigest digest, ByteBuffer buffer, List<String> values) {
        putInt(digest, buffer, values.size());
        for (String value : values) {
            putString(digest, buffer, value);
        }
    }

    // Length-prefixed, so that ["ab","c"] and ["a","bc"] cannot collide.
    private static void putString(MessageDigest digest, ByteBuffer buffer, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        putInt(digest, buffer, bytes.length);
        flush(digest, buffer);
        digest.update(bytes);
    }

    private static void putInt(MessageDigest digest, ByteBuffer buffer, int value) {
        ensureRoom(digest, buffer, Integer.BYTES);
        buffer.putInt(value);
    }

    private static void ensureRoom(MessageDigest digest, ByteBuffer buffer, int bytes) {
        if (buffer.remaining() < bytes) {
            flush(digest, buffer);
        }
    }

    private static void flush(MessageDigest digest, ByteBuffer buffer) {
        digest.update(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    /**
     * One split: {@code features[row][column]} (rows x features, row-major) and {@code labels[row]}.
     *
     * <p>The arrays are shared, not copied, in both directions: the constructor keeps the caller's
     * arrays and the accessors return them. Nobody may modify them after construction.
     */
    public static final class Split {
        private final float[][] features;
        private final int[] labels;
        private final int numFeatures;

        /**
         * @param features one row per example, every row of the same non-zero length
         * @param labels   one non-negative label per row
         * @throws IllegalArgumentException if rows and labels disagree in number, rows are ragged,
         *                                  or a label is negative
         */
        public Split(float[][] features, int[] labels) {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(labels, "labels");
            if (features.length != labels.length) {
                throw new IllegalArgumentException("features and labels must have the same number of rows, but got "
                    + features.length + " and " + labels.length);
            }
            int width = features.length == 0 ? 0 : Objects.requireNonNull(features[0], "features[0]").length;
            for (int i = 0; i < features.length; i++) {
                if (features[i] == null || features[i].length != width) {
                    throw new IllegalArgumentException("every row must have " + width + " features, but row " + i
                        + " has " + (features[i] == null ? "none (null)" : features[i].length));
                }
                if (labels[i] < 0) {
                    throw new IllegalArgumentException("labels must be >= 0, but row " + i + " has " + labels[i]);
                }
            }
            this.features = features;
            this.labels = labels;
            this.numFeatures = width;
        }

        /** Rows x features, shared with this split: do not modify. */
        public float[][] features() { return features; }

        /** One label per row, shared with this split: do not modify. */
        public int[] labels() { return labels; }

        public int size() { return labels.length; }

        /** Columns per row; 0 for an empty split. */
        public int numFeatures() { return numFeatures; }
    }
}
