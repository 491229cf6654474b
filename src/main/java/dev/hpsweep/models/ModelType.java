package dev.hpsweep.models;

import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.train.TrainerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of model hpsweep can train: the public API a user implements to sweep their own model.
 * An implementation needs a public no-argument constructor and is made known either by naming its
 * class in the search-space file ({@code model: {class: com.example.MyModel}}) or by listing it in
 * its jar's {@code META-INF/services/dev.hpsweep.models.ModelType} ({@code model: {type: NAME}}).
 *
 * <p>The contract its trainers must keep is {@link dev.hpsweep.train.Trainer}'s, checked by
 * {@link dev.hpsweep.train.TrainerContract}, which users can run on their own model type.
 */
public interface ModelType {

    /** The {@code model.type} of search-space files: lower case, digits and '-', unique in the registry. */
    String name();

    /**
     * Every hyperparameter the model understands, in the order trials list them; values in
     * {@code fixed} and {@code search} are validated against these (a typo is an error, with
     * file:line:column). {@code epochs} is added by hpsweep and must not be declared.
     */
    List<ParamDef> params();

    /** The data kinds its trainers can learn from. */
    Set<DataKind> accepts();

    /**
     * The trainer factory of one sweep, called once per sweep with the data set it loaded: whatever
     * the factory derives from the data (arrays, encodings) its trainers should share, not copy.
     * Each trial's parameters arrive as a {@link dev.hpsweep.space.TrialSpec} holding a value for
     * every declared parameter; read them into a typed record once.
     */
    TrainerFactory trainers(TrainingContext context);

    /**
     * Reads a model a trial saved ({@link dev.hpsweep.train.Trainer#saveModel}) for the report;
     * empty when this model type saves none or cannot predict from one.
     *
     * @param params the trial's parameters as trial.json records them (numbers may be any Number)
     * @param data   the data set the trial trained on
     */
    default Optional<Predictor> savedModel(Path file, Map<String, Object> params, Dataset data) {
        return Optional.empty();
    }

    /**
     * Whether trials can start from another sweep's saved model of this type ({@code model.init},
     * {@code freeze}); the trainer factory then finds it in {@link TrainingContext#init()}.
     */
    default boolean transfers() {
        return false;
    }

    /** Whether trials must start from a saved model ({@code model.init}): a model of features, say. */
    default boolean initRequired() {
        return false;
    }

    /**
     * Whether this type's numbers can differ between libnd4j's native builds (plain or oneDNN):
     * a cluster then takes the two builds for two builds and a worker on the other one is refused.
     * True unless shown otherwise: the MLP's numbers are the same in both (NativeBuildsTest runs the
     * golden sweep on the plain build), XGBoost's do not come from ND4J.
     */
    default boolean dependsOnNativeBuild() {
        return true;
    }

    /** Predicts classes with a saved model. */
    @FunctionalInterface
    interface Predictor {
        /** The predicted class (argmax) of each example, given as the data set holds it (a raw row). */
        int[] predict(float[][] examples);
    }
}
