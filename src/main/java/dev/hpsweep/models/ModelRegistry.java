package dev.hpsweep.models;

import dev.hpsweep.space.InputException;
import dev.hpsweep.space.ModelCatalogue;
import dev.hpsweep.space.ParamDef;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The model types of this process: the built-in ones, then every {@link ModelType} that jars on
 * the class path list in {@code META-INF/services/dev.hpsweep.models.ModelType}, then those named
 * by class in a search-space file ({@link #registerClass}). The one place that knows them all;
 * adding a built-in model type is its class plus one line in {@link #builtIn()}.
 *
 * <p>Thread-safe. The search-space loader finds it as the {@link ModelCatalogue} service.
 */
public final class ModelRegistry implements ModelCatalogue {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Map<String, ModelType> types = new LinkedHashMap<>();

    /** The built-in model types and those found on the class path. */
    public ModelRegistry() {
        builtIn().forEach(this::add);
        try {
            for (ModelType type : ServiceLoader.load(ModelType.class, ModelRegistry.class.getClassLoader())) {
                add(type);
            }
        } catch (ServiceConfigurationError e) {
            throw new InputException("class path", 0, 0, null, "a jar lists a model type that cannot be loaded: "
                + e.getMessage());
        }
    }

    private static List<ModelType> builtIn() {
        return List.of(new MlpModel(), new XgboostModel(), new ResNetModel(), new LogregFeaturesModel());
    }

    /** The registry the search-space loader uses in this process. */
    public static ModelRegistry installed() {
        return (ModelRegistry) ModelCatalogue.installed();
    }

    /** @throws IllegalArgumentException for an unknown type, naming the known ones */
    public synchronized ModelType type(String name) {
        ModelType type = types.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown model type '" + name + "'; known: "
                + String.join(", ", types.keySet()));
        }
        return type;
    }

    @Override
    public synchronized List<String> types() {
        return List.copyOf(types.keySet());
    }

    @Override
    public synchronized Optional<List<ParamDef>> declaredParams(String modelType) {
        return Optional.ofNullable(types.get(modelType)).map(ModelType::params);
    }

    @Override
    public synchronized String registerClass(String className) {
        Class<?> found;
        try {
            found = Class.forName(className, true, ModelRegistry.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no class '" + className + "' on hpsweep's class path (" + e
                + "); put its jar in HPSWEEP_CLASSPATH or in the plugins/ folder");
        }
        if (!ModelType.class.isAssignableFrom(found)) {
            throw new IllegalArgumentException("class '" + className + "' does not implement "
                + ModelType.class.getName() + ", so it is not a model type");
        }
        for (ModelType known : types.values()) {
            if (known.getClass() == found) {
                return known.name();
            }
        }
        ModelType type;
        try {
            type = (ModelType) found.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("model type class '" + className + "' needs a public constructor "
                + "without arguments");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("model type class '" + className + "' failed in its constructor: "
                + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create model type class '" + className + "': " + e);
        }
        add(type);
        return type.name();
    }

    private void add(ModelType type) {
        String name = type.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model type " + type.getClass().getName() + " is named '" + name
                + "', but a model type name must match " + NAME.pattern());
        }
        ModelType clash = types.get(name);
        if (clash != null) {
            throw new IllegalArgumentException("two model types are named '" + name + "': "
                + clash.getClass().getName() + " and " + type.getClass().getName());
        }
        List<String> seen = new ArrayList<>();
        for (ParamDef p : type.params()) {
            if (p.name().equals(EPOCHS.name()) || seen.contains(p.name())) {
                throw new IllegalArgumentException("model type '" + name + "' declares '" + p.name() + "' "
                    + (seen.contains(p.name()) ? "twice" : "itself, but hpsweep adds it to every model type"));
            }
            seen.add(p.name());
        }
        types.put(name, type);
    }
}
