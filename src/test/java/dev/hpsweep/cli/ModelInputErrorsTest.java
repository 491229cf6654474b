package dev.hpsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model and data input through the command line: exit 2, file:line:column, what is allowed, no stack trace. */
class ModelInputErrorsTest {
    @TempDir
    Path dir;

    private CliTest.Result validate(String model, String fixed, String dataset) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
            name: bad
            dataset: %s
            model: %s
            objective: {metric: val_accuracy, mode: max}
            epochs: 1
            fixed: %s
            search: {strategy: grid, params: [{epochs: [1]}]}
            """.formatted(dataset, model, fixed));
        return CliTest.hpsweep("validate", file.toString());
    }

    private static void isInputError(CliTest.Result r, String... fragments) {
        assertEquals(2, r.code(), r.out() + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anUnknownModelTypeListsTheKnownOnes() throws Exception {
        isInputError(validate("{type: xgbost}", "{}", "{name: europe-cities}"),
            "bad.yaml:3:15", "unknown model type 'xgbost'", "mlp", "xgboost");
    }

    @Test
    void aModelClassThatIsNotOnTheClassPathSaysWhereToPutIt() throws Exception {
        isInputError(validate("{class: com.example.Missing}", "{}", "{name: europe-cities}"),
            "bad.yaml:3:16", "model.class", "no class 'com.example.Missing'", "HPSWEEP_CLASSPATH");
    }

    @Test
    void aModelClassThatIsNotAModelTypeIsRefused() throws Exception {
        isInputError(validate("{class: java.util.ArrayList}", "{}", "{name: europe-cities}"),
            "bad.yaml:3:16", "does not implement dev.hpsweep.models.ModelType");
    }

    @Test
    void aParameterTheBoosterDoesNotDeclareIsATypoWithASuggestion() throws Exception {
        isInputError(validate("{type: xgboost}", "{max_dept: 4}", "{name: europe-cities}"),
            "bad.yaml:6:9", "unknown parameter 'max_dept' for model type 'xgboost'", "max_depth");
    }

    @Test
    void anMlpParameterIsNotABoosterParameter() throws Exception {
        isInputError(validate("{type: xgboost}", "{batch_size: 64}", "{name: europe-cities}"),
            "unknown parameter 'batch_size' for model type 'xgboost'");
    }

    @Test
    void aMissingCsvFileNamesTheSearchSpaceLineAndKeyAndThePath() throws Exception {
        Files.writeString(dir.resolve("v.csv"), "longitude,latitude,label\n1,2,0\n");
        CliTest.Result r = validate("{type: mlp}", "{}", "\n  csv:\n    train: nowhere/t.csv\n    validation: v.csv\n"
            + "    test: v.csv");
        isInputError(r, "bad.yaml:4:12", "dataset.csv.train", "no such file: " + dir.resolve("nowhere/t.csv"),
            "its directory does not exist");
    }

    @Test
    void aMissingImageFolderNamesTheSearchSpaceLineAndKeyAndThePath() throws Exception {
        Files.createDirectories(dir.resolve("v/cat"));
        CliTest.Result r = validate("{type: xgboost}", "{}", "\n  images:\n    train: nowhere/train\n"
            + "    validation: v\n    test: v");
        isInputError(r, "bad.yaml:4:12", "dataset.images.train", "no such folder: " + dir.resolve("nowhere/train"),
            "its parent folder does not exist");
    }

    @Test
    void aModelThatCannotLearnFromTheDataKindSaysWhichKindsItTakes() throws Exception {
        isInputError(validate("{type: resnet18}", "{}", "{name: europe-cities}"),
            "bad.yaml:3:15", "model type 'resnet18' learns from [images] data", "holds tabular (2 features)");
    }

    @Test
    void aModelOfFeaturesWithoutAModelToReadThemFromIsRefused() throws Exception {
        isInputError(validate("{type: logreg-features}", "{}", "{name: fashion-shirts}"),
            "bad.yaml:3:15", "reads another model's features", "init: {from:");
    }
}
