package dev.hpsweep.space;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Where a sweep's data comes from: a data set shipped with hpsweep, or the user's CSV files. */
public sealed interface DatasetSpec permits DatasetSpec.Embedded, DatasetSpec.Csv {

    /**
     * Names of the embedded data sets. Mirrored from the {@code data} package (which this package
     * may not import) so that a typo fails at validation time; keep the two in step.
     */
    List<String> EMBEDDED_NAMES = List.of("europe-cities", "fashion-pretrain", "fashion-shirts");

    /**
     * As the search-space file writes it: {@code {name: ...}} or {@code {csv: {train, validation,
     * test}}} with absolute paths. Recorded in provenance.json and trial.json, so that a sweep's
     * report can load the data it trained on; {@link #fromMap} reads it back.
     */
    default Map<String, Object> toMap() {
        if (this instanceof Embedded e) {
            return Map.of("name", e.name());
        }
        Csv c = (Csv) this;
        Map<String, Object> csv = new LinkedHashMap<>();
        csv.put("train", c.train().toAbsolutePath().toString());
        csv.put("validation", c.validation().toAbsolutePath().toString());
        csv.put("test", c.test().toAbsolutePath().toString());
        return Map.of("csv", csv);
    }

    /** The inverse of {@link #toMap()}. */
    static DatasetSpec fromMap(Map<?, ?> map) {
        if (map.get("name") instanceof String name) {
            return new Embedded(name);
        }
        if (map.get("csv") instanceof Map<?, ?> csv) {
            return new Csv(Path.of(String.valueOf(csv.get("train"))), Path.of(String.valueOf(csv.get("validation"))),
                Path.of(String.valueOf(csv.get("test"))));
        }
        throw new IllegalArgumentException("a data set is {name: ...} or {csv: {train, validation, test}}, but got "
            + map);
    }

    /** A data set shipped with hpsweep, one of {@link #EMBEDDED_NAMES}. */
    record Embedded(String name) implements DatasetSpec {
        public Embedded {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * User CSV files, absolute paths resolved against the search-space file's directory. Their
     * existence and columns are checked by the data loader, not here.
     */
    record Csv(Path train, Path validation, Path test) implements DatasetSpec {
        public Csv {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
            Objects.requireNonNull(test, "test");
        }
    }
}
