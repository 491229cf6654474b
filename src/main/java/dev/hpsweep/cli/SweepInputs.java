package dev.hpsweep.cli;

import dev.hpsweep.data.CsvDatasetReader;
import dev.hpsweep.data.DataKind;
import dev.hpsweep.data.ImageFolderReader;
import dev.hpsweep.models.ModelRegistry;
import dev.hpsweep.models.ModelType;
import dev.hpsweep.report.SweepResults;
import dev.hpsweep.space.InputException;
import dev.hpsweep.space.ModelInit;
import dev.hpsweep.train.InitialWeights;
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
record SweepInputs(SearchSpace space, List<TrialSpec> trials, Dataset data, InitialWeights init) {

    /** A file whose {@code model.init} (if any) names a sweep under {@code logs/}. */
    static SweepInputs load(Path file) {
        return load(file, Path.of("logs"));
    }

    /**
     * What the trials learn from: the data set's fingerprint, or, when they start from a saved
     * model, the SHA-256 of both, so that resuming after the source model changed is caught.
     */
    String fingerprint() {
        return init == null ? data.fingerprint() : Fingerprints.sha256(data.fingerprint() + "\n" + init.sha256());
    }

    static SweepInputs load(Path file, Path logs) {
        return load(SearchSpaceLoader.load(file), logs);
    }

    /** As {@link #load(Path, Path)}, for a search space already read (a worker's, sent by its coordinator). */
    static SweepInputs load(SearchSpace space, Path logs) {
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
        InitialWeights init = null;
        if (space.init() == null && model.initRequired()) {
            throw space.errorAt(space.modelClass() == null ? "model.type" : "model.class", "model type '"
                + model.name() + "' reads another model's features: add init: {from: {sweep: NAME, trial: best}}");
        }
        if (space.init() != null) {
            if (!model.transfers()) {
                throw space.errorAt("model.init.from.sweep", "model type '" + model.name()
                    + "' cannot start from a saved model; remove init and freeze");
            }
            init = initialWeights(space, logs);
        }
        return new SweepInputs(space, trials, data, init);
    }

    /** The saved model {@code model.init} names, with its fingerprint; an input error if it is not there. */
    private static InitialWeights initialWeights(SearchSpace space, Path logs) {
        ModelInit init = space.init();
        SweepResults source;
        try {
            source = SweepResults.read(logs, init.sweep());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw space.errorAt("model.init.from.sweep", "cannot start from sweep '" + init.sweep() + "': "
                + e.getMessage() + "; run that sweep first, or give --logs where it is");
        }
        SweepResults.TrialResults trial;
        if (init.trial().equals("best")) {
            trial = source.trials().stream().filter(t -> t.rank() > 0 && t.model() != null).findFirst()
                .orElseThrow(() -> space.errorAt("model.init.from.sweep", "sweep '" + init.sweep()
                    + "' has no ranked trial with a saved model to start from"));
        } else {
            trial = source.trials().stream().filter(t -> t.id().equals(init.trial())).findFirst()
                .orElseThrow(() -> space.errorAt("model.init.from.trial", "sweep '" + init.sweep() + "' has no trial '"
                    + init.trial() + "'; it has " + source.trials().stream().map(SweepResults.TrialResults::id).toList()));
            if (trial.model() == null) {
                throw space.errorAt("model.init.from.trial", init.sweep() + "/" + init.trial() + " saved no model (it "
                    + "ended " + trial.status() + "); only COMPLETED and STOPPED trials save one");
            }
        }
        try {
            return new InitialWeights(trial.model(), Fingerprints.sha256(Files.readAllBytes(trial.model())),
                init.freezeBackbone());
        } catch (java.io.IOException e) {
            throw space.errorAt("model.init.from.sweep", "cannot read " + trial.model() + ": " + e.getMessage());
        }
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
