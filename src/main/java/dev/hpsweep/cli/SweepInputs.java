package dev.hpsweep.cli;

import dev.hpsweep.data.CsvDatasetReader;
import dev.hpsweep.data.DataKind;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.space.InputException;
import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.DatasetSpec;
import dev.hpsweep.space.SearchSpace;
import dev.hpsweep.space.SearchSpaceLoader;
import dev.hpsweep.space.TrialExpander;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A search-space file with everything checked that can be checked before training: the file,
 * its expansion, and the data set it names. Any problem is an InputException (exit code 2).
 */
record SweepInputs(SearchSpace space, List<TrialSpec> trials, Dataset data) {

    static SweepInputs load(Path file) {
        SearchSpace space = SearchSpaceLoader.load(file);
        List<TrialSpec> trials = TrialExpander.expand(space);
        Dataset data = loadData(space.dataset());
        ModelType model = ModelRegistry.installed().type(space.modelType());
        if (!model.accepts().contains(data.kind())) {
            throw new InputException(file, 0, 0, "model.type", "model type '" + model.name() + "' learns from "
                + model.accepts().stream().map(DataKind::label).sorted().toList() + " data, but data set '"
                + data.name() + "' holds " + data.kind().label() + " (" + data.shape() + ")");
        }
        return new SweepInputs(space, trials, data);
    }

    static Dataset loadData(DatasetSpec spec) {
        if (spec instanceof DatasetSpec.Embedded e) {
            return EmbeddedDatasets.load(e.name());
        }
        DatasetSpec.Csv csv = (DatasetSpec.Csv) spec;
        return CsvDatasetReader.read(csv.train(), csv.validation(), csv.test());
    }
}
