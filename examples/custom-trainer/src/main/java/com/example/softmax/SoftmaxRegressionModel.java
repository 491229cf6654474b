package com.example.softmax;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.models.TrainingContext;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.train.TrainerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code softmax-regression}: multinomial logistic regression on tabular features, trained by
 * mini-batch SGD, in plain Java. A user's model type for hpsweep: found by
 * {@code model: {type: softmax-regression}} (this jar lists it in
 * {@code META-INF/services/dev.hpsweep.models.ModelType}) or {@code model: {class: com.example.softmax.SoftmaxRegressionModel}}.
 */
public final class SoftmaxRegressionModel implements ModelType {
    public static final String NAME = "softmax-regression";

    static final List<ParamDef> PARAMS = List.of(
        ParamDef.numberAbove("lr", 0.0, 0.1, "SGD step size."),
        ParamDef.integerAtLeast("batch_size", 1, 64,
            "Training examples per SGD step; an epoch's last batch holds what is left."),
        ParamDef.numberAtLeast("l2", 0.0, 0.0, "L2 penalty on the weights (not the biases): each step adds l2 * w "
            + "to their gradient."),
        ParamDef.bool("standardize", true, "Scale each feature to mean 0 and sd 1, with the statistics of the "
            + "training split."));

    /** hpsweep builds model types by their public no-argument constructor. */
    public SoftmaxRegressionModel() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParamDef> params() {
        return PARAMS;
    }

    @Override
    public Set<DataKind> accepts() {
        return Set.of(DataKind.TABULAR);
    }

    @Override
    public TrainerFactory trainers(TrainingContext context) {
        // Every trial of the sweep shares the scaled splits (one copy per value of standardize).
        SharedSplits splits = new SharedSplits(context.data());
        return trial -> {
            SoftmaxParams params = SoftmaxParams.from(trial);
            return new SoftmaxTrainer(trial.id(), context.sweepSeed(), params, splits.get(params.standardize()));
        };
    }

    /** The file holds the scaling it was trained with, so the parameters and data are not needed. */
    @Override
    public Optional<Predictor> savedModel(Path file, Map<String, Object> params, Dataset data) {
        SoftmaxModelFile model = SoftmaxModelFile.read(file);
        return Optional.of(model::predict);
    }
}
