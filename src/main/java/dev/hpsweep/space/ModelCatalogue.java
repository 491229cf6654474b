package dev.hpsweep.space;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What the search space needs to know of the model types: their names and the hyperparameters
 * each declares. This package may not see the models themselves (no DL4J or XGBoost here), so it
 * asks through this interface; the model registry ({@code dev.hpsweep.models.ModelRegistry})
 * implements it and is found with {@link ServiceLoader} ({@link #installed()}).
 */
public interface ModelCatalogue {

    /**
     * Every model type's epoch count. Its default is the file's top-level {@code epochs}; setting it
     * in {@code fixed} or {@code search} overrides that per trial (EXPERIMENTS 1.4 pairs batch size with epochs).
     */
    ParamDef EPOCHS = ParamDef.integerAtLeast("epochs", 1, null,
            "Epochs this trial trains for; defaults to the top-level epochs.");

    /** Known model types (built in, then those found on the class path), in registration order. */
    List<String> types();

    /** The parameters {@code modelType} declares, in its order, without {@link #EPOCHS}; empty if unknown. */
    Optional<List<ParamDef>> declaredParams(String modelType);

    /**
     * Makes a user's model type known by its class name ({@code model: {class: ...}}) and returns
     * the type name it registered under.
     *
     * @throws IllegalArgumentException naming what is wrong: no such class, not a model type, cannot be built
     */
    String registerClass(String className);

    default boolean isKnown(String modelType) {
        return declaredParams(modelType).isPresent();
    }

    /**
     * The parameters of {@code modelType} in declaration order (the order of {@link TrialSpec#params()}),
     * followed by {@link #EPOCHS}.
     *
     * @throws IllegalArgumentException for an unknown model type
     */
    default List<ParamDef> params(String modelType) {
        List<ParamDef> own = declaredParams(modelType).orElseThrow(() -> new IllegalArgumentException(
                "unknown model type '" + modelType + "'; known: " + types()));
        List<ParamDef> all = new ArrayList<>(own);
        all.add(EPOCHS);
        return List.copyOf(all);
    }

    /** Parameter names of {@code modelType}, in the order of {@link #params(String)}. */
    default List<String> paramNames(String modelType) {
        return params(modelType).stream().map(ParamDef::name).toList();
    }

    default Optional<ParamDef> param(String modelType, String name) {
        return params(modelType).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The catalogue of this process: the first {@link ModelCatalogue} service on the class path. */
    static ModelCatalogue installed() {
        return Installed.CATALOGUE;
    }

    /** Holder idiom: looked up once, on first use. */
    final class Installed {
        private static final ModelCatalogue CATALOGUE = find();

        private Installed() {
        }

        private static ModelCatalogue find() {
            Iterator<ModelCatalogue> found = ServiceLoader.load(ModelCatalogue.class, ModelCatalogue.class.getClassLoader())
                    .iterator();
            if (!found.hasNext()) {
                throw new IllegalStateException("no model registry on the class path (META-INF/services/"
                        + ModelCatalogue.class.getName() + " is missing from the hpsweep jar)");
            }
            return found.next();
        }
    }
}
