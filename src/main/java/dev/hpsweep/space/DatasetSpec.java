package dev.hpsweep.space;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Where a sweep's data comes from: a data set shipped with hpsweep, or the user's CSV files. */
public sealed interface DatasetSpec permits DatasetSpec.Embedded, DatasetSpec.Csv {

    /**
     * Names of the embedded data sets. Mirrored from the {@code data} package (which this package
     * may not import) so that a typo fails at validation time; keep the two in step.
     */
    List<String> EMBEDDED_NAMES = List.of("europe-cities");

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
