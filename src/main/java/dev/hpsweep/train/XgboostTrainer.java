package dev.hpsweep.train;

import dev.hpsweep.journal.AtomicFiles;
import dev.hpsweep.space.Metrics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A gradient-boosted tree classifier (XGBoost4J, {@code multi:softprob} for any number of classes, so
 * every trial reports class probabilities alike). One epoch is {@code rounds_per_epoch} boosting
 * rounds; a stop request is honoured between rounds, and the position in the epoch survives
 * {@link #save}/{@link #restore}.
 *
 * <p>Metrics have the networks' names and meaning ({@link Metrics}): mean cross-entropy with
 * probabilities clamped at 1e-12, and argmax accuracy, computed here from the booster's predictions
 * of each split after the epoch's last round.
 *
 * <p>Resumed trials train bit for bit as uninterrupted ones: the booster parameter
 * {@code seed_per_iteration} reseeds XGBoost's random engine (row and column sampling) before every
 * round from (trial seed, rounds boosted so far), so its state, which the model bytes do not hold,
 * never has to be saved. The engine belongs to the booster, so concurrent trials do not share it.
 */
public final class XgboostTrainer implements Trainer {
    private static final int SAVE_FORMAT = 1;
    /** The value XGBoost reads as a missing feature (trees send it down a learned default branch). */
    private static final float MISSING = Float.NaN;

    private final XgboostParams params;
    private final String trialId;
    private final int numClasses;
    private final int nthread;
    private final long seed;
    private final int[] trainY;
    private final int[] valY;
    private final int[] testY;
    private DMatrix train;
    private DMatrix validation;
    private DMatrix test;
    private Booster booster;
    /** Where the current (or next) epoch stands; survives save/restore. */
    private Position position = new Position(1, 0, 0.0);

    /**
     * @param nthread    threads XGBoost may use for this trial (its {@code nthread})
     * @param numClasses classes; labels are 0..numClasses-1
     * @param trainX     one flattened feature vector per row, all of the same width (as valX, testX)
     */
    public XgboostTrainer(XgboostParams p, String trialId, long sweepSeed, int nthread, int numClasses,
                          float[][] trainX, int[] trainY, float[][] valX, int[] valY, float[][] testX, int[] testY) {
        if (nthread < 1) {
            throw new IllegalArgumentException("nthread >= 1 must hold, but got " + nthread);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses >= 2 must hold, but got " + numClasses);
        }
        this.params = p;
        this.trialId = trialId;
        this.numClasses = numClasses;
        this.nthread = nthread;
        this.seed = Seeds.init(sweepSeed, trialId);
        int width = trainX.length > 0 ? trainX[0].length : 0;
        this.trainY = checkedLabels("train", trainX, trainY, width, numClasses);
        this.valY = checkedLabels("validation", valX, valY, width, numClasses);
        this.testY = checkedLabels("test", testX, testY, width, numClasses);
        XgboostNative.load();
        try {
            this.train = matrix(trainX, trainY);
            this.validation = matrix(valX, valY);
            this.test = matrix(testX, testY);
            // Zero rounds: an empty booster that caches the training matrix's predictions.
            this.booster = XGBoost.train(train, boosterParams(), 0, new HashMap<>(), null, null);
        } catch (XGBoostError e) {
            close();
            throw new TrainingFailedException("cannot build the XGBoost booster of " + trialId, e);
        }
    }

    private static int[] checkedLabels(String split, float[][] x, int[] y, int width, int numClasses) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException(split + ": rows and labels must be as many and not none, but got "
                    + x.length + " rows and " + y.length + " labels");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != width) {
                throw new IllegalArgumentException(split + ": every row must have " + width + " features, but row "
                        + i + " has " + x[i].length);
            }
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException(split + ": labels must be in 0.." + (numClasses - 1)
                        + ", but row " + i + " has " + y[i]);
            }
        }
        return y.clone();
    }

    static DMatrix matrix(float[][] rows, int[] labels) throws XGBoostError {
        DMatrix m = new DMatrix(flatten(rows), rows.length, rows[0].length, MISSING);
        if (labels != null) {
            float[] y = new float[labels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels[i];
            }
            m.setLabel(y);
        }
        return m;
    }

    private static float[] flatten(float[][] rows) {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }

    /** Everything the booster trains with; set again after every load, since model bytes hold none of it. */
    private Map<String, Object> boosterParams() {
        return boosterParams(params, numClasses, seed, nthread);
    }

    /** The booster parameters of a trial (also those of the benchmark's bare loop). */
    static Map<String, Object> boosterParams(XgboostParams params, int numClasses, long seed, int nthread) {
        Map<String, Object> p = new LinkedHashMap<>(params.boosterParams());
        p.put("objective", "multi:softprob");
        p.put("num_class", numClasses);
        p.put("seed", seed);
        p.put("seed_per_iteration", true);
        p.put("nthread", nthread);
        p.put("verbosity", 1);
        return p;
    }

    @Override
    public EpochResult runEpoch(int epoch, BooleanSupplier stopRequested) {
        ensureOpen();
        long start = System.nanoTime();
        if (position.epoch != epoch || position.rounds == 0) {
            position = new Position(epoch, 0, 0.0);
        }
        int rounds = params.roundsPerEpoch();
        int before = (epoch - 1) * rounds;
        try {
            XgboostNative.useThreads(nthread);
            int boosted = booster.getNumBoostedRound();
            if (boosted != before + position.rounds) {
                throw new IllegalStateException(trialId + ": epoch " + epoch + " round " + (position.rounds + 1)
                        + " needs " + (before + position.rounds) + " rounds boosted before it, but the booster has "
                        + boosted);
            }
            while (position.rounds < rounds) {
                if (stopRequested.getAsBoolean()) {
                    position = new Position(epoch, position.rounds,
                            position.seconds + (System.nanoTime() - start) / 1e9);
                    throw new TrainingInterruptedException(trialId + " stopped in epoch " + epoch + " after round "
                            + position.rounds, epoch - 1, position.rounds);
                }
                booster.update(train, before + position.rounds);
                position = new Position(epoch, position.rounds + 1, position.seconds);
            }
            Scores tr = Scores.of(booster.predict(train), trainY);
            Scores val = Scores.of(booster.predict(validation), valY);
            Scores tst = Scores.of(booster.predict(test), testY);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(Metrics.TRAIN_LOSS, tr.lossSum() / trainY.length);
            metrics.put(Metrics.TRAIN_ACCURACY, tr.correct() / (double) trainY.length);
            metrics.put(Metrics.VAL_LOSS, val.lossSum() / valY.length);
            metrics.put(Metrics.VAL_ACCURACY, val.correct() / (double) valY.length);
            metrics.put(Metrics.TEST_LOSS, tst.lossSum() / testY.length);
            metrics.put(Metrics.TEST_ACCURACY, tst.correct() / (double) testY.length);
            for (String loss : new String[] {Metrics.TRAIN_LOSS, Metrics.VAL_LOSS, Metrics.TEST_LOSS}) {
                if (!Double.isFinite(metrics.get(loss))) {
                    throw new TrainingFailedException("non-finite " + loss + " in epoch " + epoch + " of " + trialId);
                }
            }
            double seconds = position.seconds + (System.nanoTime() - start) / 1e9;
            position = new Position(epoch + 1, 0, 0.0);
            return new EpochResult(metrics, rounds, (long) trainY.length * rounds, seconds);
        } catch (XGBoostError e) {
            throw new TrainingFailedException("XGBoost failed in epoch " + epoch + " of " + trialId + ": "
                    + e.getMessage(), e);
        }
    }

    /** Format: a version, the round count, the epoch position, then the booster in XGBoost's UBJSON. */
    @Override
    public void save(OutputStream out) throws IOException {
        ensureOpen();
        byte[] model = modelBytes();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(SAVE_FORMAT);
        data.writeInt(boostedRounds());
        data.writeInt(position.epoch);
        data.writeInt(position.rounds);
        data.writeDouble(position.seconds);
        data.writeInt(model.length);
        data.write(model);
        data.flush();
    }

    @Override
    public void restore(InputStream in) throws IOException {
        ensureOpen();
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != SAVE_FORMAT) {
            throw new IOException("unknown XGBoost checkpoint format " + format + "; this version reads " + SAVE_FORMAT);
        }
        int rounds = data.readInt();
        Position restored = new Position(data.readInt(), data.readInt(), data.readDouble());
        byte[] model = new byte[data.readInt()];
        data.readFully(model);
        Booster loaded;
        try {
            loaded = XGBoost.loadModel(model);
        } catch (XGBoostError e) {
            throw new IOException("cannot load the XGBoost checkpoint of " + trialId, e);
        }
        try {
            loaded.setParams(boosterParams());
            if (loaded.getNumBoostedRound() != rounds) {
                throw new IOException(trialId + ": the checkpoint says " + rounds + " rounds, but its booster has "
                        + loaded.getNumBoostedRound());
            }
        } catch (XGBoostError | IOException e) {
            loaded.dispose();
            throw e instanceof IOException io ? io : new IOException("cannot configure the restored booster", e);
        }
        booster.dispose();
        booster = loaded;
        position = restored;
    }

    /** Writes the booster in XGBoost's UBJSON format, atomically; {@link #predict(Path, float[][])} reads it. */
    @Override
    public void saveModel(Path target) {
        ensureOpen();
        AtomicFiles.write(target, modelBytes());
    }

    /** The most probable class of each row, by the booster {@link #saveModel} wrote to {@code savedModel}. */
    public static int[] predict(Path savedModel, float[][] rows) {
        if (rows.length == 0) {
            return new int[0];
        }
        XgboostNative.load();
        byte[] model;
        try {
            model = Files.readAllBytes(savedModel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the XGBoost model " + savedModel, e);
        }
        Booster b = null;
        DMatrix m = null;
        try {
            b = XGBoost.loadModel(model);
            m = matrix(rows, null);
            return argmax(b.predict(m));
        } catch (XGBoostError | IOException e) {
            throw new IllegalArgumentException("cannot predict with the XGBoost model " + savedModel + ": "
                    + e.getMessage(), e);
        } finally {
            if (m != null) {
                m.dispose();
            }
            if (b != null) {
                b.dispose();
            }
        }
    }

    /** This trainer's most probable class for each row, as {@link #predict(Path, float[][])} gives it. */
    int[] predictClasses(float[][] rows) {
        ensureOpen();
        DMatrix m = null;
        try {
            XgboostNative.useThreads(nthread);
            m = matrix(rows, null);
            return argmax(booster.predict(m));
        } catch (XGBoostError e) {
            throw new TrainingFailedException("XGBoost cannot predict for " + trialId, e);
        } finally {
            if (m != null) {
                m.dispose();
            }
        }
    }

    private static int[] argmax(float[][] probabilities) {
        int[] classes = new int[probabilities.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = Dl4jTrainer.argmax(probabilities[i]);
        }
        return classes;
    }

    /** Rounds the booster has done, over all epochs. */
    int boostedRounds() {
        ensureOpen();
        try {
            return booster.getNumBoostedRound();
        } catch (XGBoostError e) {
            throw new TrainingFailedException("XGBoost cannot count the rounds of " + trialId, e);
        }
    }

    private byte[] modelBytes() {
        try {
            return booster.toByteArray("ubj");
        } catch (XGBoostError e) {
            throw new TrainingFailedException("cannot serialise the booster of " + trialId, e);
        }
    }

    private void ensureOpen() {
        if (booster == null) {
            throw new IllegalStateException("trainer of " + trialId + " is closed");
        }
    }

    @Override
    public void close() {
        for (DMatrix m : new DMatrix[] {train, validation, test}) {
            if (m != null) {
                m.dispose();
            }
        }
        if (booster != null) {
            booster.dispose();
        }
        train = null;
        validation = null;
        test = null;
        booster = null;
    }

    /** Epoch {@code epoch} has done {@code rounds} rounds, taking {@code seconds} so far. */
    private record Position(int epoch, int rounds, double seconds) {
    }
}
