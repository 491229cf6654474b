package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The early_stopping section and the search keys of issue 4 (tpe, max_trials, time_budget): values and errors. */
class EarlyStoppingAndSearchConfigTest {

    /** Line 6 is the search section, line 7 early_stopping; tests replace them. */
    private static final String BASE = """
            name: es
            dataset: {name: europe-cities}
            model: {type: mlp}
            objective: {metric: val_accuracy, mode: max}
            epochs: 8
            search: {strategy: random, samples: 4, params: {lr: {loguniform: [1e-5, 1]}, depth: {int: [1, 10]}}}
            early_stopping: {type: none}
            """;

    @TempDir
    Path dir;

    private SearchSpace load(String search, String earlyStopping) throws IOException {
        Path file = dir.resolve("space.yaml");
        String text = BASE;
        if (search != null) {
            text = text.replaceFirst("(?m)^search: .*$", search);
        }
        if (earlyStopping != null) {
            text = text.replaceFirst("(?m)^early_stopping: .*$", earlyStopping);
        }
        Files.writeString(file, text);
        return SearchSpaceLoader.load(file);
    }

    private InputException fails(String search, String earlyStopping) {
        return assertThrows(InputException.class, () -> load(search, earlyStopping));
    }

    @Test
    void eachRuleTypeReadsItsParameters() throws IOException {
        assertEquals(new EarlyStopping.Patience(4, 0.001),
                load(null, "early_stopping: {type: patience, patience: 4, min_delta: 0.001}").earlyStopping());
        assertEquals(new EarlyStopping.Divergence(2, 3.0),
                load(null, "early_stopping: {type: divergence, warmup_epochs: 2, max_train_loss: 3}").earlyStopping());
        assertEquals(new EarlyStopping.Median(1, 3), load(null, "early_stopping: {type: median}").earlyStopping());
        assertEquals(new EarlyStopping.Asha(2, 4),
                load(null, "early_stopping: {type: asha, grace_period: 2, reduction_factor: 4}").earlyStopping());
    }

    @Test
    void omittedParametersTakeDocumentedDefaults() throws IOException {
        assertEquals(new EarlyStopping.Asha(1, 3), load(null, "early_stopping: {type: asha}").earlyStopping());
        EarlyStopping.Divergence d = (EarlyStopping.Divergence) load(null, "early_stopping: {type: divergence}")
                .earlyStopping();
        assertEquals(1, d.warmupEpochs());
        assertTrue(Double.isNaN(d.maxTrainLoss()));
    }

    @Test
    void aListCombinesRulesInFileOrder() throws IOException {
        SearchSpace space = load(null, """
                early_stopping:
                  - {type: divergence, max_train_loss: 3.0}
                  - {type: asha, grace_period: 1, reduction_factor: 3}""");
        assertEquals(new EarlyStopping.Combined(List.of(new EarlyStopping.Divergence(1, 3.0),
                new EarlyStopping.Asha(1, 3))), space.earlyStopping());
    }

    @Test
    void aListOfOneRuleIsThatRule() throws IOException {
        assertEquals(new EarlyStopping.Median(0, 2),
                load(null, "early_stopping: [{type: median, warmup_epochs: 0, min_trials: 2}]").earlyStopping());
    }

    @Test
    void aKeyOfAnotherRuleTypeIsAnUnknownKeyWithItsLocation() {
        InputException e = fails(null, "early_stopping: {type: asha, patience: 3}");
        assertEquals(7, e.line());
        assertEquals(30, e.column());
        assertEquals("early_stopping.patience", e.key());
        assertTrue(e.rule().contains("unknown key 'patience'; allowed: type, grace_period, reduction_factor"), e.rule());
    }

    @Test
    void aRuleInAListIsLocatedByItsIndex() {
        InputException e = fails(null, "early_stopping:\n  - {type: divergence}\n  - {type: asha, reduction_factor: 1}");
        assertEquals(9, e.line());
        assertEquals("early_stopping[1].reduction_factor", e.key());
        assertTrue(e.rule().contains("must be an integer >= 2, but got 1"), e.rule());
    }

    @Test
    void patienceIsRequiredForThePatienceRule() {
        InputException e = fails(null, "early_stopping: {type: patience}");
        assertEquals("early_stopping.patience", e.key());
        assertTrue(e.rule().contains("missing required key 'patience'"), e.rule());
    }

    @Test
    void aNegativeLossThresholdIsRejected() {
        InputException e = fails(null, "early_stopping: {type: divergence, max_train_loss: -1}");
        assertTrue(e.rule().contains("must be a number > 0, but got -1"), e.rule());
    }

    @Test
    void tpeReadsItsBudgetAndStartupTrials() throws IOException {
        SearchSpec s = load("search: {strategy: tpe, max_trials: 20, n_startup_trials: 6, time_budget: 2h, "
                + "params: {lr: {loguniform: [1e-5, 1]}}}", null).search();
        assertEquals(SearchSpec.Strategy.TPE, s.strategy());
        assertEquals(20, s.maxTrials());
        assertEquals(6, s.startupTrials());
        assertEquals(7200, s.timeBudgetSeconds());
    }

    @Test
    void tpeStartsWithTenRandomTrialsByDefaultButNeverMoreThanMaxTrials() throws IOException {
        assertEquals(10, load("search: {strategy: tpe, max_trials: 30, params: {lr: [0.1, 0.01]}}", null)
                .search().startupTrials());
        assertEquals(4, load("search: {strategy: tpe, max_trials: 4, params: {lr: [0.1, 0.01]}}", null)
                .search().startupTrials());
    }

    @Test
    void tpeWithoutAnEndIsRejected() {
        InputException e = fails("search: {strategy: tpe, params: {lr: [0.1, 0.01]}}", null);
        assertEquals("search", e.key());
        assertTrue(e.rule().contains("strategy: tpe needs 'max_trials'"), e.rule());
    }

    @Test
    void samplesIsNotATpeKey() {
        InputException e = fails("search: {strategy: tpe, samples: 5, params: {lr: [0.1, 0.01]}}", null);
        assertEquals("search.samples", e.key());
        assertTrue(e.rule().contains("use max_trials"), e.rule());
    }

    @Test
    void timeBudgetsReadAsSeconds() throws IOException {
        String search = "search: {strategy: random, samples: 4, time_budget: %s, params: {lr: [0.1, 0.01]}}";
        assertEquals(90, load(search.formatted("90"), null).search().timeBudgetSeconds());
        assertEquals(90, load(search.formatted("\"90s\""), null).search().timeBudgetSeconds());
        assertEquals(1800, load(search.formatted("30m"), null).search().timeBudgetSeconds());
        assertEquals(5400, load(search.formatted("1h30m"), null).search().timeBudgetSeconds());
    }

    @Test
    void aMalformedTimeBudgetNamesTheAcceptedForms() {
        InputException e = fails("search: {strategy: random, samples: 4, time_budget: 2 hours, params: {lr: [0.1]}}",
                null);
        assertEquals("search.time_budget", e.key());
        assertTrue(e.rule().contains("expected a duration such as 3600, \"90s\", \"30m\", \"2h\""), e.rule());
    }

    @Test
    void maxTrialsKeepsTheFirstTrialsOfAGrid() throws IOException {
        SearchSpace space = load("search: {strategy: grid, max_trials: 3, params: {lr: [0.1, 0.01], depth: [1, 2]}}",
                null);
        List<TrialSpec> trials = TrialExpander.expand(space);
        assertEquals(3, trials.size());
        assertEquals(0.01, trials.get(2).searched().get("lr"));
    }

    @Test
    void tpeExpandsToItsStartupTrialsWhichAreRandomSearchsFirstDraws() throws IOException {
        String params = "params: {lr: {loguniform: [1e-5, 1]}, depth: {int: [1, 10]}}}";
        List<TrialSpec> tpe = TrialExpander.expand(load("search: {strategy: tpe, max_trials: 9, n_startup_trials: 3, "
                + params, null));
        List<TrialSpec> random = TrialExpander.expand(load("search: {strategy: random, samples: 9, " + params, null));
        assertEquals(random.subList(0, 3), tpe);
    }
}
