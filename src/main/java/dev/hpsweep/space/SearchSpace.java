package dev.hpsweep.space;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated search-space file. Produced by {@link SearchSpaceLoader#load(Path)}; expanded into
 * trials by {@link TrialExpander#expand(SearchSpace)}.
 *
 * @param file          the file it was read from, as given
 * @param name          sweep name, [A-Za-z0-9._-]+; names the log and checkpoint directories
 * @param seed          seed of random search and of every trial's initialisation
 * @param dataset       where the data comes from
 * @param modelType     a {@link ModelCatalogue} type
 * @param modelClass    the class the file named ({@code model: {class: ...}}), or null for {@code model: {type: ...}}
 * @param init          where trials start from ({@code model.init}), or null for a fresh initialisation
 * @param objective     what trials are ranked by
 * @param epochs        epochs per trial unless a trial's {@code epochs} parameter overrides it
 * @param fixed         parameters set for every trial (typed values, file order)
 * @param search        parameters that vary between trials
 * @param execution     concurrency and checkpointing
 * @param earlyStopping when to stop hopeless trials
 * @param fingerprint   hex SHA-256 of the file's bytes, recorded so a resume can tell the file changed
 * @param places        where some keys' values stand in the file ("line:column" by dotted key, e.g.
 *                      {@code dataset.csv.train}, {@code model.type}), for errors found after loading
 */
public record SearchSpace(Path file, String name, long seed, DatasetSpec dataset, String modelType, String modelClass,
                          ModelInit init,
                          Objective objective, int epochs, Map<String, Object> fixed, SearchSpec search,
                          Execution execution, EarlyStopping earlyStopping, String fingerprint,
                          Map<String, String> places) {

    public SearchSpace {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(modelType, "modelType");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(earlyStopping, "earlyStopping");
        Objects.requireNonNull(fingerprint, "fingerprint");
        fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        places = Map.copyOf(places);
    }

    /**
     * An error about {@code key} found after loading (a missing data file, a model that cannot
     * learn from the data), at the key's place in the file where it was recorded.
     */
    public InputException errorAt(String key, String rule) {
        String[] at = places.getOrDefault(key, "0:0").split(":");
        return new InputException(file, Integer.parseInt(at[0]), Integer.parseInt(at[1]), key, rule);
    }

    /** The model as provenance.json records it: {@code {type: ...}}, plus {@code class} when the file named one. */
    public Map<String, Object> model() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", modelType);
        if (modelClass != null) {
            model.put("class", modelClass);
        }
        if (init != null) {
            model.put("init", Map.of("sweep", init.sweep(), "trial", init.trial()));
            model.put("freeze", init.freezeBackbone() ? "backbone" : "none");
        }
        return Collections.unmodifiableMap(model);
    }
}
