package dev.hpsweep.space;

import dev.hpsweep.space.LocatedNode.Mapping;
import dev.hpsweep.space.LocatedNode.Origin;
import dev.hpsweep.space.LocatedNode.Scalar;
import dev.hpsweep.space.LocatedNode.Sequence;
import dev.hpsweep.space.LocatedTreeReader.Format;
import dev.hpsweep.space.SearchSpec.Strategy;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates a search-space file (YAML or JSON, chosen by extension). Every rule a file
 * can break is reported as an {@link InputException} naming the file, line, column and key.
 */
public final class SearchSpaceLoader {

    static final List<String> TOP_LEVEL_KEYS = List.of("name", "seed", "dataset", "model", "objective", "epochs",
            "fixed", "search", "execution", "early_stopping");
    static final long DEFAULT_SEED = 42;
    /** A larger sweep is almost certainly a mistake in the file (a grid that multiplied out), not a plan. */
    static final int MAX_TRIALS = 100_000;
    /** Optuna's default for its TPE sampler: enough random points for the first density estimates. */
    static final int DEFAULT_STARTUP_TRIALS = 10;
    /**
     * At most this many rows or columns in an image data set's {@code size}, so that a C x H x W
     * row always fits a Java array; no image data set a sweep can train on comes near it.
     */
    static final int MAX_IMAGE_SIDE = 10_000;
    /** The ways to name a data set; a file gives exactly one. */
    private static final List<String> DATASET_SOURCES = List.of("name", "csv", "images");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd]?)");

    private static final List<String> DISTRIBUTIONS = List.of("choice", "uniform", "loguniform", "int");
    private static final String SPEC_FORMS = "a list of values or one of {choice: [...]}, {uniform: [low, high]}, "
            + "{loguniform: [low, high]}, {int: [low, high]}";

    private SearchSpaceLoader() {
    }

    /**
     * Loads {@code file}; relative CSV and image-folder paths are resolved against its directory.
     *
     * @throws InputException for anything wrong with the file, including that it cannot be read
     */
    public static SearchSpace load(Path file) {
        return load(file, readBytes(file));
    }

    /**
     * Loads {@code content} as if it were the file {@code file} (which need not exist): a worker
     * machine reads the search space the coordinator sent, with relative data paths resolved
     * against where that file would be on this machine.
     */
    public static SearchSpace load(Path file, byte[] content) {
        Format format = formatOf(file);
        LocatedNode tree = LocatedTreeReader.read(file.toString(), content, format);
        if (!(tree instanceof Mapping root)) {
            throw tree.error("the top level must be a mapping with the keys " + String.join(", ", TOP_LEVEL_KEYS)
                    + ", but got " + tree.describe());
        }
        root.allowOnly(TOP_LEVEL_KEYS);

        String name = sweepName(root.required("name"));
        long seed = root.optional("seed").map(LocatedNode::asLong).orElse(DEFAULT_SEED);
        DatasetSpec dataset = dataset(root.required("dataset"), file.toAbsolutePath().getParent());
        Map<String, String> places = new LinkedHashMap<>();
        place(places, root.required("dataset"), "csv", "train");
        place(places, root.required("dataset"), "csv", "validation");
        place(places, root.required("dataset"), "csv", "test");
        place(places, root.required("dataset"), "images", "train");
        place(places, root.required("dataset"), "images", "validation");
        place(places, root.required("dataset"), "images", "test");
        place(places, root.required("dataset"), "name");
        place(places, root.required("model"), "type");
        place(places, root.required("model"), "class");
        place(places, root.required("model"), "init", "from", "sweep");
        place(places, root.required("model"), "init", "from", "trial");
        LocatedNode modelNode = root.required("model");
        String modelType = modelType(modelNode);
        String modelClass = modelNode.asMapping().optional("class").map(LocatedNode::asString).orElse(null);
        ModelInit init = modelInit(modelNode.asMapping());
        Objective objective = objective(root.required("objective"));
        int epochs = intAtLeast(root.required("epochs"), 1);
        Mapping fixedNode = root.optional("fixed").map(LocatedNode::asMapping).orElse(null);
        Map<String, Object> fixed = fixed(fixedNode, modelType);
        SearchSpec search = new SearchReader(modelType, fixedNode).read(root.required("search"));
        Execution execution = root.optional("execution").map(SearchSpaceLoader::execution).orElse(Execution.DEFAULTS);
        EarlyStopping earlyStopping = root.optional("early_stopping").map(SearchSpaceLoader::earlyStopping)
                .orElse(EarlyStopping.NONE);
        return new SearchSpace(file, name, seed, dataset, modelType, modelClass, init, objective, epochs, fixed, search, execution,
                earlyStopping, sha256(content), places);
    }

    /** Records where {@code node.k1.k2...} stands, if it is there, under its dotted path. */
    private static void place(Map<String, String> places, LocatedNode node, String... keys) {
        LocatedNode at = node;
        for (String key : keys) {
            if (!(at instanceof Mapping m) || !m.has(key)) {
                return;
            }
            at = m.required(key);
        }
        Origin o = at.origin();
        places.put(o.path(), o.line() + ":" + o.column());
    }

    private static Format formatOf(Path file) {
        Path fileName = file.getFileName();
        String lower = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Format.YAML;
        }
        if (lower.endsWith(".json")) {
            return Format.JSON;
        }
        throw new InputException(file, 0, 0, null,
                "unsupported file type; a search space is a .yaml, .yml or .json file");
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file, 0, 0, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(file, 0, 0, null, "permission denied");
        } catch (IOException e) {
            throw new InputException(file, 0, 0, null, "cannot read the file: " + e.getMessage());
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String sweepName(LocatedNode node) {
        String name = node.asString();
        SweepName.problem(name).ifPresent(problem -> {
            throw node.error(problem);
        });
        return name;
    }

    private static DatasetSpec dataset(LocatedNode node, Path baseDir) {
        Mapping m = node.asMapping().allowOnly(List.of("name", "csv", "images", "size", "channels"));
        String first = null;
        for (Mapping.Entry e : m.entries()) {
            if (!DATASET_SOURCES.contains(e.key())) {
                continue;
            }
            if (first != null) {
                throw e.keyOrigin().error("give either '" + first + "' (" + describeSource(first)
                        + ") or '" + e.key() + "' (" + describeSource(e.key()) + "), not both");
            }
            first = e.key();
        }
        if (first == null) {
            throw m.error("missing 'name' (an embedded data set: " + String.join(", ", DatasetSpec.EMBEDDED_NAMES)
                    + ") or 'csv' ({train: ..., validation: ..., test: ...}) or 'images' ({train: DIR, "
                    + "validation: DIR, test: DIR}, one sub-folder per class)");
        }
        if (!first.equals("images")) {
            for (String imageKey : List.of("size", "channels")) {
                if (m.has(imageKey)) {
                    throw m.keyOrigin(imageKey).error("'" + imageKey + "' only applies to 'images' (your image "
                            + "folders), not to '" + first + "'");
                }
            }
        }
        if (first.equals("name")) {
            return new DatasetSpec.Embedded(oneOf(m.required("name"), "data set", DatasetSpec.EMBEDDED_NAMES));
        }
        if (first.equals("csv")) {
            Mapping csv = m.required("csv").asMapping().allowOnly(List.of("train", "validation", "test"));
            return new DatasetSpec.Csv(path(csv, "train", baseDir, "file"),
                    path(csv, "validation", baseDir, "file"), path(csv, "test", baseDir, "file"));
        }
        Mapping images = m.required("images").asMapping().allowOnly(List.of("train", "validation", "test"));
        Path train = path(images, "train", baseDir, "folder");
        Path validation = path(images, "validation", baseDir, "folder");
        Path test = path(images, "test", baseDir, "folder");
        Integer height = null;
        Integer width = null;
        if (m.has("size")) {
            LocatedNode sizeNode = m.required("size");
            if (!(sizeNode instanceof Sequence size) || size.items().size() != 2) {
                throw sizeNode.error("size is [height, width], two integers >= 1, but got "
                        + (sizeNode instanceof Sequence s ? s.items().size() + (s.items().size() == 1 ? " value"
                        : " values") : sizeNode.describe()));
            }
            height = imageSide(size.items().get(0));
            width = imageSide(size.items().get(1));
        }
        int channels = 1;
        if (m.has("channels")) {
            LocatedNode channelsNode = m.required("channels");
            channels = channelsNode.asInt();
            if (channels != 1 && channels != 3) {
                throw channelsNode.error("channels must be 1 (grayscale) or 3 (RGB), but got " + channels);
            }
        }
        return new DatasetSpec.Images(train, validation, test, height, width, channels);
    }

    private static String describeSource(String key) {
        return switch (key) {
            case "name" -> "an embedded data set";
            case "csv" -> "your CSV files";
            default -> "your image folders";
        };
    }

    private static int imageSide(LocatedNode node) {
        int side = intAtLeast(node, 1);
        if (side > MAX_IMAGE_SIDE) {
            throw node.error("must be an integer <= " + MAX_IMAGE_SIDE + " (pixels), but got " + side);
        }
        return side;
    }

    private static Path path(Mapping paths, String key, Path baseDir, String what) {
        LocatedNode node = paths.required(key);
        String text = node.asString();
        if (text.isBlank()) {
            throw node.error("expected a " + what + " path, but got an empty string");
        }
        try {
            return baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw node.error("not a valid " + what + " path: " + e.getReason());
        }
    }

    /**
     * {@code {type: NAME}} for a registered model type (built in, or a user's found on the class
     * path), or {@code {class: NAME}} for a user's model type class, which is registered here.
     */
    private static String modelType(LocatedNode node) {
        Mapping m = node.asMapping().allowOnly(List.of("type", "class", "init", "freeze"));
        ModelCatalogue catalogue = ModelCatalogue.installed();
        if (m.has("type") && m.has("class")) {
            throw m.keyOrigin("class").error("give either 'type' (a registered model type) or 'class' (your model "
                    + "type's class), not both");
        }
        if (m.has("class")) {
            LocatedNode classNode = m.required("class");
            try {
                return catalogue.registerClass(classNode.asString());
            } catch (IllegalArgumentException e) {
                throw classNode.error(e.getMessage());
            }
        }
        if (!m.has("type")) {
            throw m.error("missing 'type' (one of " + String.join(", ", catalogue.types())
                    + ") or 'class' (a class implementing dev.hpsweep.models.ModelType)");
        }
        return oneOf(m.required("type"), "model type", catalogue.types());
    }

    private static final Pattern TRIAL_ID = Pattern.compile("trial-[0-9]{4,}");

    /** {@code init: {from: {sweep, trial}}} and {@code freeze}, or null when the model starts fresh. */
    private static ModelInit modelInit(Mapping model) {
        if (!model.has("init")) {
            model.optional("freeze").ifPresent(f -> {
                if (!"none".equals(f.asString())) {
                    throw f.error("freeze needs a model to start from: add init: {from: {sweep: NAME, trial: best}}");
                }
            });
            return null;
        }
        Mapping init = model.required("init").asMapping().allowOnly(List.of("from"));
        Mapping from = init.required("from").asMapping().allowOnly(List.of("sweep", "trial"));
        String sweep = sweepName(from.required("sweep"));
        LocatedNode trialNode = from.optional("trial").orElse(null);
        String trial = trialNode == null ? "best" : trialNode.asString();
        if (!trial.equals("best") && !TRIAL_ID.matcher(trial).matches()) {
            throw trialNode.error("the trial to start from is 'best' or a trial id such as trial-0003, but got '"
                    + trial + "'");
        }
        String freeze = model.optional("freeze").map(f -> oneOf(f, "freeze", List.of("none", "backbone")))
                .orElse("none");
        return new ModelInit(sweep, trial, freeze.equals("backbone"));
    }

    private static Objective objective(LocatedNode node) {
        Mapping m = node.asMapping().allowOnly(List.of("metric", "mode"));
        String metric = oneOf(m.required("metric"), "metric", Metrics.STANDARD);
        String mode = oneOf(m.required("mode"), "mode", List.of("min", "max"));
        return new Objective(metric, Objective.Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
    }

    private static Map<String, Object> fixed(Mapping fixedNode, String modelType) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        if (fixedNode != null) {
            for (Mapping.Entry e : fixedNode.entries()) {
                fixed.put(e.key(), paramValue(paramDef(modelType, e.key(), e.keyOrigin()), e.value()));
            }
        }
        return fixed;
    }

    private static Execution execution(LocatedNode node) {
        Mapping m = node.asMapping().allowOnly(
                List.of("max_concurrent_trials", "threads_per_trial", "checkpoint_every", "keep_last"));
        Execution d = Execution.DEFAULTS;
        return new Execution(
                m.optional("max_concurrent_trials").map(n -> intAtLeast(n, 1)).orElse(d.maxConcurrentTrials()),
                m.optional("threads_per_trial").map(n -> intAtLeast(n, 1)).orElse(d.threadsPerTrial()),
                m.optional("checkpoint_every").map(n -> intAtLeast(n, 1)).orElse(d.checkpointEvery()),
                m.optional("keep_last").map(n -> intAtLeast(n, 1)).orElse(d.keepLast()));
    }

    /** A single rule {@code {type: ...}} or a list of them, of which the first to say stop wins. */
    private static EarlyStopping earlyStopping(LocatedNode node) {
        if (node instanceof Sequence list) {
            List<EarlyStopping> rules = new ArrayList<>();
            for (LocatedNode item : node.asNonEmptySequence().items()) {
                rules.add(earlyStoppingRule(item));
            }
            return rules.size() == 1 ? rules.get(0) : new EarlyStopping.Combined(rules);
        }
        return earlyStoppingRule(node);
    }

    private static EarlyStopping earlyStoppingRule(LocatedNode node) {
        Mapping m = node.asMapping();
        String type = oneOf(m.required("type"), "early-stopping type", EarlyStopping.TYPES);
        return switch (type) {
            case "patience" -> {
                m.allowOnly(List.of("type", "patience", "min_delta"));
                yield new EarlyStopping.Patience(intAtLeast(m.required("patience"), 1),
                        m.optional("min_delta").map(n -> numberAtLeast(n, 0)).orElse(0.0));
            }
            case "divergence" -> {
                m.allowOnly(List.of("type", "warmup_epochs", "max_train_loss"));
                yield new EarlyStopping.Divergence(
                        m.optional("warmup_epochs").map(n -> intAtLeast(n, 0)).orElse(1),
                        m.optional("max_train_loss").map(SearchSpaceLoader::positiveNumber).orElse(Double.NaN));
            }
            case "median" -> {
                m.allowOnly(List.of("type", "warmup_epochs", "min_trials"));
                yield new EarlyStopping.Median(m.optional("warmup_epochs").map(n -> intAtLeast(n, 0)).orElse(1),
                        m.optional("min_trials").map(n -> intAtLeast(n, 1)).orElse(3));
            }
            case "asha" -> {
                m.allowOnly(List.of("type", "grace_period", "reduction_factor"));
                yield new EarlyStopping.Asha(m.optional("grace_period").map(n -> intAtLeast(n, 1)).orElse(1),
                        m.optional("reduction_factor").map(n -> intAtLeast(n, 2)).orElse(3));
            }
            default -> {
                m.allowOnly(List.of("type"));
                yield EarlyStopping.NONE;
            }
        };
    }

    private static double numberAtLeast(LocatedNode node, double min) {
        double value = node.asDouble();
        if (value < min) {
            throw node.error("must be a number >= " + ParamDef.number(min) + ", but got " + ParamDef.number(value));
        }
        return value;
    }

    private static double positiveNumber(LocatedNode node) {
        double value = node.asDouble();
        if (!(value > 0)) {
            throw node.error("must be a number > 0, but got " + ParamDef.number(value));
        }
        return value;
    }

    /**
     * A wall-clock duration in seconds: an integer number of seconds, or a string such as "90s",
     * "30m", "2h", "1d", or a combination of them in that order ("1h30m").
     */
    private static long duration(LocatedNode node) {
        long seconds;
        if (node instanceof Scalar s && s.type() == Scalar.Type.INTEGER) {
            seconds = node.asLong();
        } else {
            String text = node instanceof Scalar s && s.type() == Scalar.Type.STRING ? s.text().trim() : null;
            java.util.regex.Matcher part = text == null ? null : DURATION.matcher(text);
            seconds = 0;
            int at = 0;
            boolean ok = part != null && !text.isEmpty();
            while (ok && at < text.length()) {
                ok = part.find(at) && part.start() == at && (part.group(2).length() == 1 || at == 0 && part.end() == text.length());
                if (ok) {
                    long unit = switch (part.group(2)) {
                        case "m" -> 60;
                        case "h" -> 3600;
                        case "d" -> 86400;
                        default -> 1;
                    };
                    seconds += Long.parseLong(part.group(1)) * unit;
                    at = part.end();
                }
            }
            if (!ok) {
                throw node.error("expected a duration such as 3600, \"90s\", \"30m\", \"2h\" or \"1h30m\", but got "
                        + node.describe());
            }
        }
        if (seconds < 1) {
            throw node.error("a time budget must be at least 1 second, but got " + node.describe());
        }
        return seconds;
    }

    private static int intAtLeast(LocatedNode node, int min) {
        int value = node.asInt();
        if (value < min) {
            throw node.error("must be an integer >= " + min + ", but got " + value);
        }
        return value;
    }

    private static String oneOf(LocatedNode node, String what, List<String> allowed) {
        String value = node.asString();
        if (!allowed.contains(value)) {
            throw node.error("unknown " + what + " '" + value + "'; allowed: " + String.join(", ", allowed)
                    + ClosestMatch.didYouMean(value, allowed));
        }
        return value;
    }

    private static ParamDef paramDef(String modelType, String name, Origin at) {
        return ModelCatalogue.installed().param(modelType, name).orElseThrow(() -> {
            List<String> known = ModelCatalogue.installed().paramNames(modelType);
            return at.error("unknown parameter '" + name + "' for model type '" + modelType + "'; known: "
                    + String.join(", ", known) + ClosestMatch.didYouMean(name, known));
        });
    }

    /** The node's value as {@code def}'s Java type, checked against its rules. */
    private static Object paramValue(ParamDef def, LocatedNode node) {
        Object value = null;
        if (node instanceof Sequence seq && (def.kind() == ParamDef.Kind.INT_LIST
                || def.kind() == ParamDef.Kind.DOUBLE_LIST)) {
            value = listValue(def.kind().element(), seq);
        } else if (node instanceof Scalar s) {
            value = switch (def.kind()) {
                case INT -> s.type() == Scalar.Type.INTEGER && fitsInt(s) ? (Object) node.asInt() : null;
                case DOUBLE -> s.type() == Scalar.Type.INTEGER || s.type() == Scalar.Type.FLOAT
                        ? (Object) node.asDouble() : null;
                case BOOLEAN -> s.type() == Scalar.Type.BOOLEAN ? (Object) node.asBoolean() : null;
                case STRING -> s.type() == Scalar.Type.STRING ? s.text() : null;
                case INT_LIST, DOUBLE_LIST -> null;
            };
        }
        if (value == null) {
            throw node.error("'" + def.name() + "' must be " + def.describe() + ", but got " + node.describe());
        }
        def.check(value).ifPresent(rule -> {
            throw node.error(rule);
        });
        return value;
    }

    /** The items as Integers (INT) or Doubles (DOUBLE), or null if one is not such a number. */
    private static List<Object> listValue(ParamDef.Kind element, Sequence seq) {
        List<Object> items = new ArrayList<>();
        for (LocatedNode item : seq.items()) {
            if (!(item instanceof Scalar s)) {
                return null;
            }
            if (element == ParamDef.Kind.INT && s.type() == Scalar.Type.INTEGER && fitsInt(s)) {
                items.add(item.asInt());
            } else if (element == ParamDef.Kind.DOUBLE
                    && (s.type() == Scalar.Type.INTEGER || s.type() == Scalar.Type.FLOAT)) {
                items.add(item.asDouble());
            } else {
                return null;
            }
        }
        return List.copyOf(items);
    }

    private static boolean fitsInt(Scalar s) {
        return s.value() instanceof Integer || s.value() instanceof Long l && l == l.intValue();
    }

    /** Reads the {@code search} section; one instance per file, since it tracks which parameters are taken. */
    private static final class SearchReader {
        private final String modelType;
        private final Mapping fixed;
        private final Map<String, Origin> searched = new LinkedHashMap<>();
        private Strategy strategy;

        SearchReader(String modelType, Mapping fixed) {
            this.modelType = modelType;
            this.fixed = fixed;
        }

        SearchSpec read(LocatedNode node) {
            Mapping m = node.asMapping().allowOnly(
                    List.of("strategy", "samples", "n_startup_trials", "max_trials", "time_budget", "params"));
            strategy = Strategy.valueOf(oneOf(m.required("strategy"), "strategy", List.of("grid", "random", "tpe"))
                    .toUpperCase(Locale.ROOT));
            int samples = 0;
            if (strategy != Strategy.RANDOM && m.has("samples")) {
                throw m.keyOrigin("samples").error("'samples' only applies to strategy: random; "
                        + (strategy == Strategy.GRID ? "grid runs every combination, so remove it or use strategy: random"
                        : "tpe runs max_trials trials, so use max_trials"));
            }
            if (strategy != Strategy.TPE && m.has("n_startup_trials")) {
                throw m.keyOrigin("n_startup_trials").error("'n_startup_trials' only applies to strategy: tpe");
            }
            if (strategy == Strategy.RANDOM) {
                if (!m.has("samples")) {
                    throw m.origin().error("strategy: random needs 'samples', the number of trials to draw (>= 1)");
                }
                LocatedNode samplesNode = m.required("samples");
                samples = intAtLeast(samplesNode, 1);
                if (samples > MAX_TRIALS) {
                    throw samplesNode.error("at most " + MAX_TRIALS + " trials are supported, but got " + samples);
                }
            }
            int maxTrials = 0;
            if (m.has("max_trials")) {
                LocatedNode maxNode = m.required("max_trials");
                maxTrials = intAtLeast(maxNode, 1);
                if (maxTrials > MAX_TRIALS) {
                    throw maxNode.error("at most " + MAX_TRIALS + " trials are supported, but got " + maxTrials);
                }
            }
            long timeBudget = m.optional("time_budget").map(SearchSpaceLoader::duration).orElse(0L);
            int startupTrials = 0;
            if (strategy == Strategy.TPE) {
                if (maxTrials == 0 && timeBudget == 0) {
                    throw m.origin().error("strategy: tpe needs 'max_trials' (the number of trials) or 'time_budget' "
                            + "(e.g. \"2h\"), or it would propose trials forever");
                }
                LocatedNode startupNode = m.optional("n_startup_trials").orElse(null);
                startupTrials = startupNode == null ? DEFAULT_STARTUP_TRIALS : intAtLeast(startupNode, 1);
                if (maxTrials > 0) {
                    startupTrials = Math.min(startupTrials, maxTrials);
                }
            }
            LocatedNode params = m.required("params");
            List<SearchSpec.Entry> entries = entries(params);
            if (strategy == Strategy.GRID) {
                long trials = 1;
                for (SearchSpec.Entry e : entries) {
                    trials = Math.min((long) MAX_TRIALS + 1, trials * alternatives(e));
                }
                if (trials > MAX_TRIALS) {
                    throw params.error("the grid multiplies out to more than " + MAX_TRIALS
                            + " trials; search fewer values or use strategy: random");
                }
            }
            return new SearchSpec(strategy, samples, entries, maxTrials, timeBudget, startupTrials);
        }

        private static long alternatives(SearchSpec.Entry entry) {
            if (entry instanceof SearchSpec.Zip zip) {
                return zip.tuples().size();
            }
            return ((Distribution.Choice) ((SearchSpec.Param) entry).distribution()).values().size();
        }

        /** The list form {@code [{lr: [...]}, {zip: {...}}]} or, for convenience, the map form {@code {lr: [...]}}. */
        private List<SearchSpec.Entry> entries(LocatedNode params) {
            List<SearchSpec.Entry> entries = new ArrayList<>();
            if (params instanceof Sequence list) {
                params.asNonEmptySequence();
                for (LocatedNode item : list.items()) {
                    Mapping one = item.asMapping();
                    if (one.size() != 1) {
                        throw item.error("each params entry must be a one-key mapping such as {lr: [0.1, 0.01]} or "
                                + "{zip: {...}}, but got " + (one.size() == 0 ? "an empty mapping"
                                : one.size() + " keys: " + String.join(", ", keys(one))));
                    }
                    entries.add(entry(one.entries().get(0)));
                }
            } else if (params instanceof Mapping map) {
                if (map.size() == 0) {
                    throw params.error("expected at least one parameter to search, but got an empty mapping");
                }
                for (Mapping.Entry e : map.entries()) {
                    entries.add(entry(e));
                }
            } else {
                throw params.error("expected a list of {param: values} entries, but got " + params.describe());
            }
            return entries;
        }

        private static List<String> keys(Mapping m) {
            return m.entries().stream().map(Mapping.Entry::key).toList();
        }

        private SearchSpec.Entry entry(Mapping.Entry e) {
            if (e.key().equals("zip")) {
                return zip(e.value());
            }
            ParamDef def = claim(e.key(), e.keyOrigin());
            return new SearchSpec.Param(def.name(), distribution(def, e.value()));
        }

        /** The parameter's definition, once it is known to be neither fixed nor searched already. */
        private ParamDef claim(String name, Origin at) {
            ParamDef def = paramDef(modelType, name, at);
            if (fixed != null && fixed.has(name)) {
                throw at.error("'" + name + "' is both fixed (line " + fixed.keyOrigin(name).line()
                        + ") and searched; keep one of them");
            }
            Origin first = searched.putIfAbsent(name, at);
            if (first != null) {
                throw at.error("'" + name + "' is searched twice (first at line " + first.line()
                        + "); list each parameter once");
            }
            return def;
        }

        private Distribution distribution(ParamDef def, LocatedNode spec) {
            if (spec instanceof Sequence) {
                return new Distribution.Choice(values(def, spec.asNonEmptySequence()));
            }
            if (!(spec instanceof Mapping m)) {
                throw spec.error("'" + def.name() + "' needs " + SPEC_FORMS + ", but got " + spec.describe()
                        + "; a single value belongs in 'fixed'");
            }
            m.allowOnly(DISTRIBUTIONS);
            if (m.size() != 1) {
                throw m.error("'" + def.name() + "' needs exactly one of " + String.join(", ", DISTRIBUTIONS)
                        + ", but got " + (m.size() == 0 ? "an empty mapping" : String.join(", ", keys(m))));
            }
            Mapping.Entry e = m.entries().get(0);
            String kind = e.key();
            if (kind.equals("choice")) {
                return new Distribution.Choice(values(def, e.value().asNonEmptySequence()));
            }
            if (strategy == Strategy.GRID) {
                throw e.keyOrigin().error("'" + kind + "' needs strategy: random or tpe; a grid needs a finite list of "
                        + "values such as [0.1, 0.01] or {choice: [...]}");
            }
            boolean integers = kind.equals("int");
            ParamDef.Kind needed = integers ? ParamDef.Kind.INT : ParamDef.Kind.DOUBLE;
            if (def.kind() != needed) {
                String draws = integers ? "integers" : "real numbers";
                String instead = switch (def.kind()) {
                    case INT -> "{int: [low, high]}, a list or {choice: [...]}";
                    case DOUBLE -> "{uniform: [low, high]}, {loguniform: [low, high]}, a list or {choice: [...]}";
                    default -> "a list or {choice: [...]}";
                };
                throw e.keyOrigin().error("'" + kind + "' draws " + draws + ", but '" + def.name() + "' must be "
                        + def.describe() + "; use " + instead);
            }
            Sequence range = e.value().asSequence();
            if (range.items().size() != 2) {
                throw range.error("expected [low, high], but got " + range.items().size() + " values");
            }
            LocatedNode lowNode = range.items().get(0);
            LocatedNode highNode = range.items().get(1);
            double low = integers ? lowNode.asInt() : lowNode.asDouble();
            double high = integers ? highNode.asInt() : highNode.asDouble();
            if (kind.equals("loguniform") && low <= 0) {
                throw lowNode.error("loguniform needs low > 0, but got low=" + ParamDef.number(low));
            }
            if (low > high) {
                throw range.error("low <= high must hold, but got low=" + ParamDef.number(low) + ", high="
                        + ParamDef.number(high));
            }
            paramValue(def, lowNode);
            paramValue(def, highNode);
            return switch (kind) {
                case "uniform" -> new Distribution.Uniform(low, high);
                case "loguniform" -> new Distribution.LogUniform(low, high);
                default -> new Distribution.IntUniform((int) low, (int) high);
            };
        }

        private SearchSpec.Zip zip(LocatedNode node) {
            Mapping m = node.asMapping();
            if (m.size() == 0) {
                throw m.error("a zip needs at least one parameter, e.g. {zip: {depth: [1, 2], width: [16, 32]}}");
            }
            List<String> names = new ArrayList<>();
            List<List<Object>> columns = new ArrayList<>();
            for (Mapping.Entry e : m.entries()) {
                ParamDef def = claim(e.key(), e.keyOrigin());
                Sequence values = e.value().asNonEmptySequence();
                if (!columns.isEmpty() && values.items().size() != columns.get(0).size()) {
                    throw values.error("zip lists must have equal lengths, but '" + names.get(0) + "' has "
                            + columns.get(0).size() + " values and '" + e.key() + "' has " + values.items().size());
                }
                names.add(def.name());
                columns.add(values(def, values));
            }
            List<List<Object>> tuples = new ArrayList<>();
            for (int i = 0; i < columns.get(0).size(); i++) {
                List<Object> tuple = new ArrayList<>();
                for (List<Object> column : columns) {
                    tuple.add(column.get(i));
                }
                tuples.add(tuple);
            }
            return new SearchSpec.Zip(names, tuples);
        }

        private static List<Object> values(ParamDef def, Sequence list) {
            List<Object> values = new ArrayList<>();
            for (LocatedNode item : list.items()) {
                values.add(paramValue(def, item));
            }
            return values;
        }
    }
}
