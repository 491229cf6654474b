package dev.hpsweep.models;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.train.TrainerFactory;
import dev.hpsweep.train.XgboostParams;
import dev.hpsweep.train.XgboostTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code xgboost}: an XGBoost4J booster ({@code multi:softprob}) on the data's features, tabular
 * columns or an image's pixels, flattened. An epoch is {@code rounds_per_epoch} boosting rounds;
 * the booster uses {@code threads_per_trial} threads.
 */
public final class XgboostModel implements ModelType {
    @Override
    public String name() {
        return "xgboost";
    }

    @Override
    public List<ParamDef> params() {
        return XgboostParams.PARAMS;
    }

    @Override
    public Set<DataKind> accepts() {
        return Set.of(DataKind.TABULAR, DataKind.IMAGES);
    }

    @Override
    public TrainerFactory trainers(TrainingContext context) {
        Dataset data = context.data();
        // Each booster builds its own DMatrix from the shared arrays: XGBoost caches per-matrix
        // state (hist bins) lazily, so one matrix trained on from two threads at once could race.
        return trial -> new XgboostTrainer(XgboostParams.from(trial), trial.id(), context.sweepSeed(),
            context.threadsPerTrial(), data.numClasses(), data.train().features(), data.train().labels(),
            data.validation().features(), data.validation().labels(), data.test().features(), data.test().labels());
    }

    @Override
    public Optional<Predictor> savedModel(Path file, Map<String, Object> params, Dataset data) {
        return Optional.of(rows -> XgboostTrainer.predict(file, rows));
    }

    /** The same numbers on either native build: boosters are XGBoost's, not ND4J's. */
    @Override
    public boolean dependsOnNativeBuild() {
        return false;
    }
}
