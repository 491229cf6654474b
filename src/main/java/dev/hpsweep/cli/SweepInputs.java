package dev.hpsweep.cli;

import dev.hpsweep.data.CsvDatasetReader;
import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.ImageFolderReader;
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
import java.nio.file.Files;
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
        if (space.dataset() instanceof DatasetSpec.Csv csv) {
            exists(space, "dataset.csv.train", csv.train());
            exists(space, "dataset.csv.validation", csv.validation());
            exists(space, "dataset.csv.test", csv.test());
        } else if (space.dataset() instanceof DatasetSpec.Images images) {
            folderExists(space, "dataset.images.train", images.train());
            folderExists(space, "dataset.images.validation", images.validation());
            folderExists(space, "dataset.images.test", images.test());
        }
        Dataset data = loadData(space.dataset());
        ModelType model = ModelRegistry.installed().type(space.modelType());
        if (!model.accepts().contains(data.kind())) {
            throw space.errorAt(space.modelClass() == null ? "model.type" : "model.class", "model type '"
                + model.name() + "' learns from "
                + model.accepts().stream().map(DataKind::label).sorted().toList() + " data, but data set '"
                + data.name() + "' holds " + data.kind().label() + " (" + data.shape() + ")");
        }
        return new SweepInputs(space, trials, data);
    }

    /** A data file the search space names must be there, or the error says where the file names it. */
    private static void exists(SearchSpace space, String key, Path path) {
        if (Files.isDirectory(path)) {
            throw space.errorAt(key, "expected a CSV file, but " + path + " is a directory");
        }
        if (!Files.isRegularFile(path)) {
            throw space.errorAt(key, "no such file: " + path + (Files.exists(path.getParent() == null ? path
                : path.getParent()) ? "" : " (its directory does not exist either)"));
        }
    }

    /** An image folder the search space names must be there, or the error says where the file names it. */
    private static void folderExists(SearchSpace space, String key, Path path) {
        if (Files.isRegularFile(path)) {
            throw space.errorAt(key, "expected a folder with one sub-folder of images per class, but " + path
                + " is a file");
        }
        if (!Files.isDirectory(path)) {
            throw space.errorAt(key, "no such folder: " + path + (Files.exists(path.getParent() == null ? path
                : path.getParent()) ? "" : " (its parent folder does not exist either)"));
        }
    }

    /** The one place that turns a data set's description into its data. */
    static Dataset loadData(DatasetSpec spec) {
        if (spec instanceof DatasetSpec.Embedded e) {
            return EmbeddedDatasets.load(e.name());
        }
        if (spec instanceof DatasetSpec.Images images) {
            return ImageFolderReader.read(images.train(), images.validation(), images.test(), images.height(),
                images.width(), images.channels());
        }
        DatasetSpec.Csv csv = (DatasetSpec.Csv) spec;
        return CsvDatasetReader.read(csv.train(), csv.validation(), csv.test());
    }
}
