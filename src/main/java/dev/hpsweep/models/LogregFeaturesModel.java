package dev.hpsweep.models;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.train.InitialWeights;
import dev.hpsweep.train.LogisticRegressionTrainer;
import dev.hpsweep.train.NetworkFeatures;
import dev.hpsweep.train.TrainerFactory;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code logreg-features}: logistic regression on the features a pre-trained network computes
 * for its output layer ({@code model.init} names the network; it is never trained), fitted to
 * convergence with L2 regularisation ({@link LogisticRegressionTrainer}, scikit-learn's
 * {@code LogisticRegression(C=c)} objective). The features are computed once per sweep and shared.
 *
 * <p>The difference from a linear probe ({@code freeze: backbone} on the network itself) is the fit
 * alone: frozen layers run batch norm in inference mode, so both read the same features, but the
 * probe takes epochs of the optimizer at its learning rate, this one a regularised optimum.
 */
public final class LogregFeaturesModel implements ModelType {
    private static final List<ParamDef> PARAMS = List.of(
        ParamDef.numberAbove("c", 0.0, 1.0, "Inverse L2 strength, as scikit-learn's C: the objective is "
            + "c * (summed log loss) + ||W||^2 / 2."),
        ParamDef.integerAtLeast("max_steps", 1, 50, "Newton steps an epoch may take before it reports; the fit "
            + "stops earlier once converged."),
        ParamDef.numberAbove("tol", 0.0, 1e-6, "Converged when the gradient's largest entry is below this."));

    @Override
    public String name() {
        return "logreg-features";
    }

    @Override
    public List<ParamDef> params() {
        return PARAMS;
    }

    @Override
    public Set<DataKind> accepts() {
        return Set.of(DataKind.IMAGES, DataKind.TABULAR);
    }

    @Override
    public boolean transfers() {
        return true;
    }

    @Override
    public boolean initRequired() {
        return true;
    }

    @Override
    public TrainerFactory trainers(TrainingContext context) {
        InitialWeights init = context.init();
        if (init == null) {
            throw new IllegalArgumentException("logreg-features needs model.init: the network whose features it reads");
        }
        Dataset data = context.data();
        Features features = new Features(init.model(), data);
        return trial -> new LogisticRegressionTrainer(trial.id(), trial.doubleParam("c"), trial.intParam("max_steps"),
            trial.doubleParam("tol"), data.numClasses(), features.train(), data.train().labels(), features.validation(),
            data.validation().labels(), features.test(), data.test().labels()).backbone(init.model().toString());
    }

    /** The three splits' features, computed once (by the first trial that asks) and shared. */
    private static final class Features {
        private final Path network;
        private final Dataset data;
        private double[][][] splits;

        Features(Path network, Dataset data) {
            this.network = network;
            this.data = data;
        }

        private synchronized double[][][] all() {
            if (splits == null) {
                NetworkFeatures f = NetworkFeatures.of(network);
                splits = new double[][][] {f.of(data.train().features()), f.of(data.validation().features()),
                    f.of(data.test().features())};
            }
            return splits;
        }

        double[][] train() {
            return all()[0];
        }

        double[][] validation() {
            return all()[1];
        }

        double[][] test() {
            return all()[2];
        }
    }

    @Override
    public Optional<Predictor> savedModel(Path file, Map<String, Object> params, Dataset data) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            String backbone = in.readUTF();
            double[][] w = LogisticRegressionTrainer.readWeights(in);
            NetworkFeatures features = NetworkFeatures.of(Path.of(backbone));
            return Optional.of(rows -> LogisticRegressionTrainer.predict(w, features.of(rows)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + file, e);
        }
    }
}
