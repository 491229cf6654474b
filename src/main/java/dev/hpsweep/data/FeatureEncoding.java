package dev.hpsweep.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How raw feature rows are turned into the network's input: {@code raw} (unchanged),
 * {@code standardized} (each column shifted and scaled to mean 0, standard deviation 1 with the
 * statistics of the training split only, so validation and test leak nothing into training), or
 * {@code sine} (the implicit representation of EXPERIMENTS 2.7: sin(alpha * x) for every alpha and
 * every column, column-major, so (long, lat) with 10 alphas gives 20 features).
 *
 * <p>An encoding is a pure function of its kind, its alphas and the training split, so the report
 * rebuilds exactly the trainer's encoding from a trial's parameters to draw its prediction map.
 */
public final class FeatureEncoding {
    public static final List<String> KINDS = List.of("raw", "standardized", "sine");

    private final String kind;
    private final double[] alphas;
    private final double[] mean;
    private final double[] scale;

    private FeatureEncoding(String kind, double[] alphas, double[] mean, double[] scale) {
        this.kind = kind;
        this.alphas = alphas;
        this.mean = mean;
        this.scale = scale;
    }

    /**
     * @param kind   one of {@link #KINDS}
     * @param alphas the sine frequencies (used by {@code sine} only; must then be non-empty)
     * @param train  the training split, whose column statistics {@code standardized} uses
     */
    public static FeatureEncoding fit(String kind, List<Double> alphas, Dataset.Split train) {
        switch (kind) {
            case "raw":
                return new FeatureEncoding(kind, new double[0], null, null);
            case "sine":
                if (alphas.isEmpty()) {
                    throw new IllegalArgumentException("the sine encoding needs at least one alpha, but got none");
                }
                return new FeatureEncoding(kind, alphas.stream().mapToDouble(Double::doubleValue).toArray(), null, null);
            case "standardized":
                return standardized(train);
            default:
                throw new IllegalArgumentException("unknown input encoding '" + kind + "'; known: " + KINDS);
        }
    }

    private static FeatureEncoding standardized(Dataset.Split train) {
        int columns = train.numFeatures();
        double[] mean = new double[columns];
        double[] scale = new double[columns];
        float[][] x = train.features();
        for (float[] row : x) {
            for (int c = 0; c < columns; c++) {
                mean[c] += row[c];
            }
        }
        for (int c = 0; c < columns; c++) {
            mean[c] /= Math.max(1, x.length);
        }
        for (float[] row : x) {
            for (int c = 0; c < columns; c++) {
                double d = row[c] - mean[c];
                scale[c] += d * d;
            }
        }
        for (int c = 0; c < columns; c++) {
            double sd = Math.sqrt(scale[c] / Math.max(1, x.length));
            // A constant column stays 0 rather than dividing by 0.
            scale[c] = sd > 0 ? 1.0 / sd : 1.0;
        }
        return new FeatureEncoding("standardized", new double[0], mean, scale);
    }

    public String kind() {
        return kind;
    }

    /**
     * Identifies the encoding among those fitted on one training split: equal keys encode every
     * row alike, so trials with equal keys can share one encoded copy of the data.
     */
    public String key() {
        return kind + java.util.Arrays.toString(alphas);
    }

    /** Width of an encoded row for {@code inputs} raw columns. */
    public int width(int inputs) {
        return kind.equals("sine") ? inputs * alphas.length : inputs;
    }

    /** Names of the encoded columns: {@code sin(0.1*long)}, ...; unchanged for raw and standardized. */
    public List<String> featureNames(List<String> raw) {
        if (!kind.equals("sine")) {
            return List.copyOf(raw);
        }
        List<String> names = new ArrayList<>();
        for (String column : raw) {
            for (double a : alphas) {
                names.add(String.format(Locale.ROOT, "sin(%s*%s)", a, column));
            }
        }
        return names;
    }

    /** One encoded row; {@code row} is not modified. */
    public float[] encode(float[] row) {
        switch (kind) {
            case "raw":
                return row.clone();
            case "standardized": {
                float[] out = new float[row.length];
                for (int c = 0; c < row.length; c++) {
                    out[c] = (float) ((row[c] - mean[c]) * scale[c]);
                }
                return out;
            }
            default: {
                float[] out = new float[row.length * alphas.length];
                int i = 0;
                for (float v : row) {
                    for (double a : alphas) {
                        out[i++] = (float) Math.sin(a * v);
                    }
                }
                return out;
            }
        }
    }

    public float[][] encode(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = encode(rows[i]);
        }
        return out;
    }

    /** The split with encoded features and the same labels (shared, not copied). */
    public Dataset.Split encode(Dataset.Split split) {
        return kind.equals("raw") ? split : new Dataset.Split(encode(split.features()), split.labels());
    }
}
