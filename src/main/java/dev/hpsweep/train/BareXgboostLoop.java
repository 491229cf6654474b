package dev.hpsweep.train;

import dev.hpsweep.data.Dataset;
import java.util.HashMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The baseline of the booster benchmark: the loop an XGBoost4J user would write by hand with the
 * same parameters, data and threads as {@link XgboostTrainer}: {@code Booster.update} per round
 * and, after every {@code rounds_per_epoch} rounds, a prediction of the validation and test
 * splits (which a user needs for early stopping and reporting). No metrics code, no checkpoints.
 */
public final class BareXgboostLoop {
    private BareXgboostLoop() {
    }

    /** Seconds of boosting and of evaluation over {@code epochs} epochs. */
    public record Timing(double boostSeconds, double evalSeconds, int rounds) {
        public double totalSeconds() {
            return boostSeconds + evalSeconds;
        }
    }

    public static Timing run(XgboostParams params, Dataset data, long seed, int nthread, int epochs) {
        XgboostNative.load();
        DMatrix train = null;
        DMatrix validation = null;
        DMatrix test = null;
        Booster booster = null;
        try {
            train = XgboostTrainer.matrix(data.train().features(), data.train().labels());
            validation = XgboostTrainer.matrix(data.validation().features(), data.validation().labels());
            test = XgboostTrainer.matrix(data.test().features(), data.test().labels());
            XgboostNative.useThreads(nthread);
            booster = XGBoost.train(train, XgboostTrainer.boosterParams(params, data.numClasses(), seed, nthread), 0,
                new HashMap<>(), null, null);
            double boost = 0;
            double eval = 0;
            int round = 0;
            for (int e = 0; e < epochs; e++) {
                long t0 = System.nanoTime();
                for (int r = 0; r < params.roundsPerEpoch(); r++) {
                    booster.update(train, round++);
                }
                long t1 = System.nanoTime();
                booster.predict(validation);
                booster.predict(test);
                long t2 = System.nanoTime();
                boost += (t1 - t0) / 1e9;
                eval += (t2 - t1) / 1e9;
            }
            return new Timing(boost, eval, round);
        } catch (XGBoostError e) {
            throw new IllegalStateException("the bare XGBoost loop failed", e);
        } finally {
            for (DMatrix m : new DMatrix[] {train, validation, test}) {
                if (m != null) {
                    m.dispose();
                }
            }
            if (booster != null) {
                booster.dispose();
            }
        }
    }
}
