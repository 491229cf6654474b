package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule a search-space file can break, each asserted with line, column, key and message.
 * Most tests change one line of {@link #VALID} and expect the error on that line.
 */
class SearchSpaceErrorsTest {

    /** A valid file; its line numbers are referred to by the tests below. */
    private static final String VALID = """
            name: quickstart
            seed: 42
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 5
            fixed: {optimizer: adam, batch_size: 256, batch_norm: true}
            search:
              strategy: grid
              params:
                - lr: [0.1, 0.01]
                - zip: {depth: [1, 2, 6, 10, 6, 6, 6], width: [16, 16, 16, 16, 8, 32, 64]}
            execution: {max_concurrent_trials: 2, threads_per_trial: 1, checkpoint_every: 5, keep_last: 2}
            early_stopping: {type: none}
            """;

    /** Lines 10-12 of {@link #VALID}. */
    private static final String PARAMS_BLOCK = """
              params:
                - lr: [0.1, 0.01]
                - zip: {depth: [1, 2, 6, 10, 6, 6, 6], width: [16, 16, 16, 16, 8, 32, 64]}
            """;

    @TempDir
    Path dir;

    private Path write(String fileName, String content) {
        Path file = dir.resolve(fileName);
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private InputException fails(String fileName, String content) {
        Path file = write(fileName, content);
        return assertThrows(InputException.class, () -> SearchSpaceLoader.load(file));
    }

    /** {@link #VALID} with line {@code line} (1-based) replaced by {@code replacement} (which may span lines). */
    private InputException failsWithLine(int line, String replacement) {
        List<String> lines = new ArrayList<>(Arrays.asList(VALID.split("\n")));
        lines.set(line - 1, replacement);
        return fails("space.yaml", String.join("\n", lines) + "\n");
    }

    private static void assertError(InputException e, int line, int column, String key, String... ruleFragments) {
        assertAll(
                () -> assertEquals(line, e.line(), () -> "line of: " + e.getMessage()),
                () -> assertEquals(column, e.column(), () -> "column of: " + e.getMessage()),
                () -> assertEquals(key, e.key(), () -> "key of: " + e.getMessage()),
                () -> assertAll(Arrays.stream(ruleFragments).map(fragment -> () -> assertTrue(
                        e.rule().contains(fragment), () -> "rule '" + e.rule() + "' lacks '" + fragment + "'"))));
    }

    @Test
    void theBaseFileIsValid() {
        Path file = write("space.yaml", VALID);
        assertDoesNotThrow(() -> SearchSpaceLoader.load(file));
    }

    @Test
    void messageStartsWithFileLineColumnAndKey() {
        InputException e = failsWithLine(6, "epochs: 0");
        assertEquals(dir.resolve("space.yaml") + ":6:9: 'epochs': must be an integer >= 1, but got 0", e.getMessage());
    }

    // --- syntax ---

    @Test
    void yamlSyntaxErrorIsReportedWhereTheParserFoundIt() {
        InputException e = failsWithLine(3, "dataset: {name: europe-cities");
        assertError(e, 4, 6, null, "YAML syntax error", "expected ',' or '}'");
    }

    @Test
    void yamlTabIndentationPointsAtTheTab() {
        InputException e = failsWithLine(9, "\tstrategy: grid");
        assertError(e, 9, 1, null, "YAML syntax error", "TAB");
    }

    @Test
    void jsonSyntaxErrorIsReportedWhereTheParserFoundIt() {
        InputException e = fails("space.json", """
                {
                  "name": "quickstart"
                  "seed": 42
                }
                """);
        assertError(e, 3, 3, null, "JSON syntax error", "was expecting comma");
    }

    @Test
    void emptyFileIsAWholeFileError() {
        InputException e = fails("space.yaml", "");
        assertError(e, 0, 0, null, "the file is empty");
    }

    @Test
    void commentOnlyFileIsEmpty() {
        InputException e = fails("space.yml", "# nothing yet\n");
        assertError(e, 0, 0, null, "the file is empty");
    }

    @Test
    void unsupportedExtensionIsRejected() {
        InputException e = fails("space.txt", VALID);
        assertError(e, 0, 0, null, "unsupported file type", ".yaml, .yml or .json");
    }

    @Test
    void missingFileIsAnInputError() {
        InputException e = assertThrows(InputException.class,
                () -> SearchSpaceLoader.load(dir.resolve("absent.yaml")));
        assertError(e, 0, 0, null, "no such file");
    }

    @Test
    void topLevelListIsRejected() {
        InputException e = fails("space.yaml", "- name: quickstart\n");
        assertError(e, 1, 1, null, "the top level must be a mapping", "but got a list");
    }

    @Test
    void duplicateKeyIsRejected() {
        InputException e = failsWithLine(2, "seed: 42\nseed: 43");
        assertError(e, 3, 1, "seed", "duplicate key 'seed' (first at line 2)");
    }

    @Test
    void yamlAliasIsRejected() {
        InputException e = failsWithLine(2, "seed: &s 42\nepochs: *s");
        assertError(e, 3, 9, "epochs", "YAML aliases (*s) are not supported");
    }

    @Test
    void secondYamlDocumentIsRejected() {
        InputException e = fails("space.yaml", VALID + "---\nname: other\n");
        assertError(e, 16, 1, null, "exactly one document");
    }

    @Test
    void jsonValueErrorIsLocatedAtTheValue() {
        InputException e = fails("space.json", """
                {
                  "name": "x",
                  "dataset": {"name": "europe-cities"},
                  "model": {"type": "mlp"},
                  "objective": {"metric": "val_accuracy", "mode": "max"},
                  "epochs": 5,
                  "search": {"strategy": "grid", "params": [{"lr": [0.1, -1]}]}
                }
                """);
        assertError(e, 7, 58, "search.params[0].lr[1]", "'lr' must be a number > 0, but got -1");
    }

    @Test
    void jsonUnknownKeyIsLocatedAtTheKey() {
        InputException e = fails("space.json", """
                {
                  "name": "x",
                  "epoch": 5
                }
                """);
        assertError(e, 3, 3, "epoch", "unknown key 'epoch'", "did you mean 'epochs'?");
    }

    // --- unknown keys ---

    @Test
    void unknownTopLevelKeySuggestsTheClosestAllowedKey() {
        InputException e = failsWithLine(6, "epoch: 5");
        assertError(e, 6, 1, "epoch", "unknown key 'epoch'", "allowed: name, seed, dataset", "did you mean 'epochs'?");
    }

    @Test
    void unknownNestedKeySuggestsTheClosestAllowedKey() {
        InputException e = failsWithLine(5, "objective: {metric: val_accuracy, mod: max}");
        assertError(e, 5, 35, "objective.mod", "unknown key 'mod'; allowed: metric, mode", "did you mean 'mode'?");
    }

    @Test
    void unknownExecutionKeySuggestsTheClosestAllowedKey() {
        InputException e = failsWithLine(13, "execution: {max_concurent_trials: 2}");
        assertError(e, 13, 13, "execution.max_concurent_trials", "did you mean 'max_concurrent_trials'?");
    }

    @Test
    void unknownSearchKeyIsRejected() {
        InputException e = failsWithLine(9, "  strategy: grid\n  sample: 10");
        assertError(e, 10, 3, "search.sample", "unknown key 'sample'; allowed: strategy, samples, n_startup_trials, max_trials, time_budget, params",
                "did you mean 'samples'?");
    }

    @Test
    void unknownKeyFarFromEveryAllowedKeyGetsNoSuggestion() {
        InputException e = failsWithLine(14, "colour: red");
        assertError(e, 14, 1, "colour", "unknown key 'colour'");
        assertFalse(e.rule().contains("did you mean"), e.rule());
    }

    @Test
    void unknownDistributionKeyIsRejected() {
        InputException e = failsWithLine(11, "    - lr: {choise: [0.1, 0.01]}");
        assertError(e, 11, 12, "search.params[0].lr.choise", "allowed: choice, uniform, loguniform, int",
                "did you mean 'choice'?");
    }

    // --- wrong types ---

    @Test
    void stringWhereIntegerExpectedIsRejected() {
        InputException e = failsWithLine(6, "epochs: five");
        assertError(e, 6, 9, "epochs", "expected an integer, but got 'five'");
    }

    @Test
    void fractionWhereIntegerExpectedIsRejected() {
        InputException e = failsWithLine(2, "seed: 4.2");
        assertError(e, 2, 7, "seed", "expected an integer, but got 4.2");
    }

    @Test
    void scalarWhereMappingExpectedIsRejected() {
        InputException e = failsWithLine(4, "model: mlp");
        assertError(e, 4, 8, "model", "expected a mapping", "but got 'mlp'");
    }

    @Test
    void numberWhereStringExpectedSuggestsQuoting() {
        InputException e = failsWithLine(1, "name: 2024");
        assertError(e, 1, 7, "name", "expected a string, but got 2024", "quote it");
    }

    @Test
    void fixedParamOfWrongTypeIsRejected() {
        InputException e = failsWithLine(7, "fixed: {batch_size: big}");
        assertError(e, 7, 21, "fixed.batch_size", "'batch_size' must be an integer >= 1, but got 'big'");
    }

    @Test
    void fixedBooleanGivenAsStringIsRejected() {
        InputException e = failsWithLine(7, "fixed: {batch_norm: 'true'}");
        assertError(e, 7, 21, "fixed.batch_norm", "'batch_norm' must be a boolean (true or false), but got 'true'");
    }

    @Test
    void emptyValueIsAnErrorNotADefault() {
        InputException e = failsWithLine(7, "fixed:");
        assertError(e, 7, 7, "fixed", "expected a mapping {key: value, ...}, but got an empty value (null)");
    }

    // --- missing keys ---

    @Test
    void missingTopLevelKeyIsReportedAtTheEnclosingMapping() {
        InputException e = failsWithLine(6, "# epochs: 5");
        assertError(e, 1, 1, "epochs", "missing required key 'epochs'");
    }

    @Test
    void missingNestedKeyIsReportedAtTheEnclosingMapping() {
        InputException e = failsWithLine(5, "objective: {metric: val_accuracy}");
        assertError(e, 5, 12, "objective.mode", "missing required key 'mode'");
    }

    @Test
    void csvDatasetWithoutValidationFileIsRejected() {
        InputException e = failsWithLine(3, "dataset: {csv: {train: a.csv, test: c.csv}}");
        assertError(e, 3, 16, "dataset.csv.validation", "missing required key 'validation'");
    }

    @Test
    void datasetWithNeitherNameNorCsvIsRejected() {
        InputException e = failsWithLine(3, "dataset: {}");
        assertError(e, 3, 10, "dataset", "missing 'name'", "or 'csv'", "or 'images'");
    }

    @Test
    void datasetWithBothNameAndCsvIsRejected() {
        InputException e = failsWithLine(3,
                "dataset: {name: europe-cities, csv: {train: a.csv, validation: b.csv, test: c.csv}}");
        assertError(e, 3, 32, "dataset.csv", "either 'name'", "not both");
    }

    // --- image folders ---

    private static final String IMAGES = "dataset: {images: {train: a, validation: b, test: c}";

    @Test
    void unknownImagesKeySuggestsTheClosestSplit() {
        InputException e = failsWithLine(3, "dataset: {images: {train: a, validaton: b, test: c}}");
        assertError(e, 3, 30, "dataset.images.validaton", "unknown key 'validaton'; allowed: train, validation, test",
                "did you mean 'validation'?");
    }

    @Test
    void imagesWithoutATestFolderIsRejected() {
        InputException e = failsWithLine(3, "dataset: {images: {train: a, validation: b}}");
        assertError(e, 3, 19, "dataset.images.test", "missing required key 'test'");
    }

    @Test
    void imagesThatAreNotAMappingOfFoldersAreRejected() {
        InputException e = failsWithLine(3, "dataset: {images: pictures}");
        assertError(e, 3, 19, "dataset.images", "expected a mapping", "but got 'pictures'");
    }

    @Test
    void anEmptyImageFolderPathIsRejected() {
        InputException e = failsWithLine(3, "dataset: {images: {train: '', validation: b, test: c}}");
        assertError(e, 3, 27, "dataset.images.train", "expected a folder path, but got an empty string");
    }

    @Test
    void sizeWithOneValueIsRejected() {
        InputException e = failsWithLine(3, IMAGES + ", size: [28]}");
        assertError(e, 3, 61, "dataset.size", "size is [height, width], two integers >= 1, but got 1 value");
    }

    @Test
    void sizeGivenAsOneNumberIsRejected() {
        InputException e = failsWithLine(3, IMAGES + ", size: 28}");
        assertError(e, 3, 61, "dataset.size", "size is [height, width], two integers >= 1, but got 28");
    }

    @Test
    void sizeOfZeroRowsIsRejected() {
        InputException e = failsWithLine(3, IMAGES + ", size: [0, 28]}");
        assertError(e, 3, 62, "dataset.size[0]", "must be an integer >= 1, but got 0");
    }

    @Test
    void fractionalSizeIsRejected() {
        InputException e = failsWithLine(3, IMAGES + ", size: [28, 2.5]}");
        assertError(e, 3, 66, "dataset.size[1]", "expected an integer, but got 2.5");
    }

    @Test
    void sizeBeyondTheLargestSupportedIsRejected() {
        InputException e = failsWithLine(3, IMAGES + ", size: [28, 20000]}");
        assertError(e, 3, 66, "dataset.size[1]", "must be an integer <= 10000 (pixels), but got 20000");
    }

    @Test
    void channelsOtherThanOneOrThreeAreRejected() {
        InputException e = failsWithLine(3, IMAGES + ", channels: 2}");
        assertError(e, 3, 65, "dataset.channels", "channels must be 1 (grayscale) or 3 (RGB), but got 2");
    }

    @Test
    void channelsGivenAsAWordAreRejected() {
        InputException e = failsWithLine(3, IMAGES + ", channels: rgb}");
        assertError(e, 3, 65, "dataset.channels", "expected an integer, but got 'rgb'");
    }

    @Test
    void datasetWithBothNameAndImagesIsRejected() {
        InputException e = failsWithLine(3,
                "dataset: {name: europe-cities, images: {train: a, validation: b, test: c}}");
        assertError(e, 3, 32, "dataset.images",
                "give either 'name' (an embedded data set) or 'images' (your image folders), not both");
    }

    @Test
    void datasetWithBothCsvAndImagesIsRejected() {
        InputException e = failsWithLine(3, IMAGES + ", csv: {train: a.csv, validation: b.csv, test: c.csv}}");
        assertError(e, 3, 55, "dataset.csv",
                "give either 'images' (your image folders) or 'csv' (your CSV files), not both");
    }

    @Test
    void sizeWithCsvFilesIsRejected() {
        InputException e = failsWithLine(3,
                "dataset: {csv: {train: a.csv, validation: b.csv, test: c.csv}, size: [28, 28]}");
        assertError(e, 3, 64, "dataset.size", "'size' only applies to 'images' (your image folders), not to 'csv'");
    }

    @Test
    void channelsWithAnEmbeddedDataSetAreRejected() {
        InputException e = failsWithLine(3, "dataset: {name: europe-cities, channels: 3}");
        assertError(e, 3, 32, "dataset.channels", "'channels' only applies to 'images'", "not to 'name'");
    }

    // --- values ---

    @Test
    void badSweepNameIsRejected() {
        InputException e = failsWithLine(1, "name: my sweep");
        assertError(e, 1, 7, "name", "[A-Za-z0-9._-]+", "but got 'my sweep'");
    }

    @Test
    void dotDotSweepNameIsRejected() {
        InputException e = failsWithLine(1, "name: '..'");
        assertError(e, 1, 7, "name", "not be '.' or '..'");
    }

    @Test
    void unknownDatasetNameIsRejected() {
        InputException e = failsWithLine(3, "dataset: {name: europe-citys}");
        assertError(e, 3, 17, "dataset.name", "unknown data set 'europe-citys'; allowed: europe-cities",
                "did you mean 'europe-cities'?");
    }

    @Test
    void unknownModelTypeIsRejected() {
        InputException e = failsWithLine(4, "model: {type: resnet}");
        assertError(e, 4, 15, "model.type", "unknown model type 'resnet'; allowed: mlp");
    }

    @Test
    void unknownMetricIsRejected() {
        InputException e = failsWithLine(5, "objective: {metric: val_acuracy, mode: max}");
        assertError(e, 5, 21, "objective.metric", "unknown metric 'val_acuracy'", "val_loss, val_accuracy",
                "did you mean 'val_accuracy'?");
    }

    @Test
    void unknownModeIsRejected() {
        InputException e = failsWithLine(5, "objective: {metric: val_accuracy, mode: maximize}");
        assertError(e, 5, 41, "objective.mode", "unknown mode 'maximize'; allowed: min, max");
    }

    @Test
    void epochsBelowOneIsRejected() {
        InputException e = failsWithLine(6, "epochs: 0");
        assertError(e, 6, 9, "epochs", "must be an integer >= 1, but got 0");
    }

    @Test
    void unknownStrategyIsRejected() {
        InputException e = failsWithLine(9, "  strategy: grd");
        assertError(e, 9, 13, "search.strategy", "unknown strategy 'grd'; allowed: grid, random, tpe",
                "did you mean 'grid'?");
    }

    @Test
    void samplesWithGridIsRejected() {
        InputException e = failsWithLine(9, "  strategy: grid\n  samples: 10");
        assertError(e, 10, 3, "search.samples", "'samples' only applies to strategy: random");
    }

    @Test
    void randomWithoutSamplesIsRejected() {
        InputException e = failsWithLine(9, "  strategy: random");
        assertError(e, 9, 3, "search", "strategy: random needs 'samples'");
    }

    @Test
    void samplesBelowOneIsRejected() {
        InputException e = failsWithLine(9, "  strategy: random\n  samples: 0");
        assertError(e, 10, 12, "search.samples", "must be an integer >= 1, but got 0");
    }

    @Test
    void executionValueBelowOneIsRejected() {
        InputException e = failsWithLine(13, "execution: {max_concurrent_trials: 0}");
        assertError(e, 13, 36, "execution.max_concurrent_trials", "must be an integer >= 1, but got 0");
    }

    @Test
    void checkpointEveryBelowOneIsRejected() {
        InputException e = failsWithLine(13, "execution: {checkpoint_every: -1}");
        assertError(e, 13, 31, "execution.checkpoint_every", "must be an integer >= 1, but got -1");
    }

    @Test
    void unknownEarlyStoppingTypeIsRejected() {
        InputException e = failsWithLine(14, "early_stopping: {type: patients}");
        assertError(e, 14, 24, "early_stopping.type",
                "unknown early-stopping type 'patients'; allowed: none, patience, divergence, median, asha",
                "did you mean 'patience'?");
    }

    // --- search params ---

    @Test
    void emptyParamsListIsRejected() {
        InputException e = fails("space.yaml", VALID.replace(PARAMS_BLOCK, "  params: []\n"));
        assertError(e, 10, 11, "search.params", "expected a non-empty list, but got an empty list");
    }

    @Test
    void emptyValueListIsRejected() {
        InputException e = failsWithLine(11, "    - lr: []");
        assertError(e, 11, 11, "search.params[0].lr", "expected a non-empty list, but got an empty list");
    }

    @Test
    void zipListsOfUnequalLengthNameBothLengths() {
        InputException e = failsWithLine(12,
                "    - zip: {depth: [1, 2, 6, 10, 6, 6, 6], width: [16, 16, 16, 16, 8, 32]}");
        assertError(e, 12, 51, "search.params[1].zip.width",
                "zip lists must have equal lengths, but 'depth' has 7 values and 'width' has 6");
    }

    @Test
    void loguniformWithLowZeroIsRejected() {
        InputException e = failsRandom("    - lr: {loguniform: [0, 1]}");
        assertError(e, 12, 25, "search.params[0].lr.loguniform[0]", "loguniform needs low > 0, but got low=0");
    }

    @Test
    void lowAboveHighIsRejected() {
        InputException e = failsRandom("    - momentum: {uniform: [0.9, 0.5]}");
        assertError(e, 12, 27, "search.params[0].momentum.uniform", "low <= high must hold, but got low=0.9, high=0.5");
    }

    @Test
    void intRangeWithLowAboveHighIsRejected() {
        InputException e = failsRandom("    - depth: {int: [3, 1]}");
        assertError(e, 12, 20, "search.params[0].depth.int", "low <= high must hold, but got low=3, high=1");
    }

    @Test
    void rangeWithThreeValuesIsRejected() {
        InputException e = failsRandom("    - lr: {uniform: [0.1, 0.2, 0.3]}");
        assertError(e, 12, 21, "search.params[0].lr.uniform", "expected [low, high], but got 3 values");
    }

    @Test
    void rangeOutsideTheParameterRulesIsRejected() {
        InputException e = failsRandom("    - depth: {int: [0, 4]}");
        assertError(e, 12, 21, "search.params[0].depth.int[0]", "'depth' must be an integer >= 1, but got 0");
    }

    @Test
    void uniformOnIntegerParameterIsRejected() {
        InputException e = failsRandom("    - depth: {uniform: [1, 4]}");
        assertError(e, 12, 15, "search.params[0].depth.uniform", "'uniform' draws real numbers",
                "'depth' must be an integer >= 1", "use {int: [low, high]}");
    }

    @Test
    void uniformWithGridNeedsRandom() {
        InputException e = failsWithLine(11, "    - lr: {uniform: [0.1, 1]}");
        assertError(e, 11, 12, "search.params[0].lr.uniform", "'uniform' needs strategy: random");
    }

    @Test
    void searchedValueBreakingTheParameterRuleIsRejectedAtThatValue() {
        InputException e = failsWithLine(11, "    - momentum: [0.5, 1.0]");
        assertError(e, 11, 23, "search.params[0].momentum[1]", "'momentum' must be a number in [0, 1), but got 1");
    }

    @Test
    void searchedStringOutsideItsAllowedValuesIsRejected() {
        InputException e = failsWithLine(11, "    - activation: [relu, tanh, elu]");
        assertError(e, 11, 32, "search.params[0].activation[2]",
                "'activation' must be one of relu, tanh, sigmoid, leakyrelu, but got 'elu'");
    }

    @Test
    void unknownSearchedParameterListsTheKnownOnes() {
        InputException e = failsWithLine(11, "    - widht: [8, 16]");
        assertError(e, 11, 7, "search.params[0].widht", "unknown parameter 'widht' for model type 'mlp'",
                "known: depth, width, batch_norm, optimizer, lr, batch_size, momentum, activation, residual, grad_clip_norm, "
                + "l2, lr_schedule, lr_step_every, lr_step_gamma, lr_min, input_encoding, sine_alphas, "
                + "record_batch_loss, record_grad_layers, epochs",
                "did you mean 'width'?");
    }

    @Test
    void aListParameterRejectsANegativeElement() {
        InputException e = failsWithLine(7, "fixed: {record_grad_layers: [0, -1]}");
        assertError(e, 7, 29, "fixed.record_grad_layers",
                "'record_grad_layers' must be a list of integers >= 0, but got [0, -1]");
    }

    @Test
    void aListParameterRejectsAScalar() {
        InputException e = failsWithLine(7, "fixed: {sine_alphas: 0.5}");
        assertError(e, 7, 22, "fixed.sine_alphas", "'sine_alphas' must be a non-empty list of numbers > 0");
    }

    @Test
    void sineAlphasMustNotBeEmpty() {
        InputException e = failsWithLine(7, "fixed: {sine_alphas: []}");
        assertError(e, 7, 22, "fixed.sine_alphas", "but got an empty list");
    }

    @Test
    void unknownFixedParameterSuggestsTheClosest() {
        InputException e = failsWithLine(7, "fixed: {optimiser: adam}");
        assertError(e, 7, 9, "fixed.optimiser", "unknown parameter 'optimiser'", "did you mean 'optimizer'?");
    }

    @Test
    void fixedStringOutsideItsAllowedValuesSuggestsTheClosest() {
        InputException e = failsWithLine(7, "fixed: {optimizer: adamw}");
        assertError(e, 7, 20, "fixed.optimizer", "'optimizer' must be one of adam, sgd, but got 'adamw'",
                "did you mean 'adam'?");
    }

    @Test
    void fixedLearningRateOfZeroIsRejected() {
        InputException e = failsWithLine(7, "fixed: {lr: 0}");
        assertError(e, 7, 13, "fixed.lr", "'lr' must be a number > 0, but got 0");
    }

    @Test
    void parameterBothFixedAndSearchedIsRejected() {
        InputException e = failsWithLine(7, "fixed: {optimizer: adam, lr: 0.001}");
        assertError(e, 11, 7, "search.params[0].lr", "'lr' is both fixed (line 7) and searched");
    }

    @Test
    void parameterSearchedTwiceIsRejected() {
        InputException e = failsWithLine(11, "    - depth: [1, 2]");
        assertError(e, 12, 13, "search.params[1].zip.depth", "'depth' is searched twice (first at line 11)");
    }

    @Test
    void paramsEntryWithTwoKeysIsRejected() {
        InputException e = failsWithLine(11, "    - {lr: [0.1], depth: [1]}");
        assertError(e, 11, 7, "search.params[0]", "one-key mapping", "but got 2 keys: lr, depth");
    }

    @Test
    void singleSearchedValueBelongsInFixed() {
        InputException e = failsWithLine(11, "    - lr: 0.1");
        assertError(e, 11, 11, "search.params[0].lr", "needs a list of values or one of {choice: [...]}",
                "a single value belongs in 'fixed'");
    }

    @Test
    void emptyZipIsRejected() {
        InputException e = failsWithLine(12, "    - zip: {}");
        assertError(e, 12, 12, "search.params[1].zip", "a zip needs at least one parameter");
    }

    @Test
    void hugeGridIsRejected() {
        String values = "[" + String.join(", ", Collections.nCopies(400, "1")) + "]";
        InputException e = fails("space.yaml", VALID.replace(PARAMS_BLOCK,
                "  params:\n    - depth: " + values + "\n    - width: " + values + "\n"));
        assertError(e, 11, 5, "search.params", "more than 100000 trials");
    }

    /** {@link #VALID} with random search (10 samples) over the one entry {@code entryLine}, on line 12. */
    private InputException failsRandom(String entryLine) {
        return fails("space.yaml", VALID.replace("  strategy: grid\n" + PARAMS_BLOCK,
                "  strategy: random\n  samples: 10\n  params:\n" + entryLine + "\n"));
    }
}
