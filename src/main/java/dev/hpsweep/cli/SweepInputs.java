package dev.hpsweep.cli;

import dev.hpsweep.data.CsvDatasetReader;
import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.data.TabularDataset;
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
record SweepInputs(SearchSpace space, List<TrialSpec> trials, TabularDataset data) {

    static SweepInputs load(Path file) {
        SearchSpace space = SearchSpaceLoader.load(file);
        List<TrialSpec> trials = TrialExpander.expand(space);
        return new SweepInputs(space, trials, loadData(space.dataset()));
    }

    static TabularDataset loadData(DatasetSpec spec) {
        if (spec instanceof DatasetSpec.Embedded e) {
            return EmbeddedDatasets.load(e.name());
        }
        DatasetSpec.Csv csv = (DatasetSpec.Csv) spec;
        return CsvDatasetReader.read(csv.train(), csv.validation(), csv.test());
    }
}
