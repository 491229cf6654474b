package dev.hpsweep.models;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.train.Dl4jSavedModel;
import dev.hpsweep.train.Dl4jSettings;
import dev.hpsweep.train.Dl4jTrainer;
import dev.hpsweep.train.Nd4jSplits;
import dev.hpsweep.train.OutputHead;
import dev.hpsweep.train.ResNetNetwork;
import dev.hpsweep.train.TrainerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code resnet18}: ResNet18 for small images ({@link ResNetNetwork}), trained from scratch by
 * the shared DL4J loop with the DL4J training parameters every network shares. The sweep's
 * trials share one ND4J copy of the images.
 */
public final class ResNetModel implements ModelType {
    public static final String NAME = "resnet18";

    private static final List<ParamDef> PARAMS = declare();

    private static List<ParamDef> declare() {
        List<ParamDef> p = new ArrayList<>();
        p.add(ParamDef.integerAtLeast("width", 1, 16, "Channels of the first stage (64 = the standard "
            + "ResNet18; the stages have width, 2, 4 and 8 x width)."));
        p.add(OutputHead.PARAM);
        p.addAll(Dl4jSettings.OPTIMIZER);
        p.addAll(Dl4jSettings.REGULARISATION_AND_SCHEDULE);
        p.addAll(Dl4jSettings.DIAGNOSTICS);
        return List.copyOf(p);
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
    public boolean transfers() {
        return true;
    }

    @Override
    public Set<DataKind> accepts() {
        return Set.of(DataKind.IMAGES);
    }

    @Override
    public TrainerFactory trainers(TrainingContext context) {
        Nd4jSplits.Cache arrays = new Nd4jSplits.Cache();
        return trial -> new Dl4jTrainer(trial.id(), context.sweepSeed(), trial.epochs(), Dl4jSettings.from(trial),
            ResNetNetwork.from(trial), arrays.get("pixels", key -> Nd4jSplits.of(context.data())), context.init());
    }

    @Override
    public Optional<Predictor> savedModel(Path file, Map<String, Object> params, Dataset data) {
        Dl4jSavedModel model = Dl4jSavedModel.read(file, rows -> rows);
        return Optional.of(model::predict);
    }
}
