package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialExpanderTest {

    @TempDir
    Path dir;

    private static List<List<Object>> column(List<TrialSpec> trials, String... names) {
        return trials.stream().map(t -> List.of(names).stream().map(t.params()::get).toList()).toList();
    }

    @Test
    void gridOfTwoLearningRatesAndASevenModelZipGivesFourteenTrialsLastEntryFastest() {
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("grid-lr-zip.yaml"));
        List<List<Object>> models = List.of(List.of(1, 16), List.of(2, 16), List.of(6, 16), List.of(10, 16),
                List.of(6, 8), List.of(6, 32), List.of(6, 64));
        List<List<Object>> expected = new ArrayList<>();
        for (double lr : new double[] {0.1, 0.01}) {
            for (List<Object> m : models) {
                expected.add(List.of(lr, m.get(0), m.get(1)));
            }
        }
        assertEquals(14, trials.size());
        assertEquals(expected, column(trials, "lr", "depth", "width"));
    }

    @Test
    void gridMatchesItertoolsProductOrder() throws IOException {
        List<TrialSpec> trials = TrialExpander.expand(load("""
                search: {strategy: grid, params: {depth: [1, 2], width: [8, 16], activation: [relu, tanh]}}
                """));
        assertEquals(List.of(
                List.of(1, 8, "relu"), List.of(1, 8, "tanh"), List.of(1, 16, "relu"), List.of(1, 16, "tanh"),
                List.of(2, 8, "relu"), List.of(2, 8, "tanh"), List.of(2, 16, "relu"), List.of(2, 16, "tanh")),
                column(trials, "depth", "width", "activation"));
    }

    @Test
    void zipAloneGivesSevenPairedTrials() {
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("depth-width.yaml"));
        assertEquals(List.of(List.of(1, 16), List.of(2, 16), List.of(6, 16), List.of(10, 16),
                List.of(6, 8), List.of(6, 32), List.of(6, 64)), column(trials, "depth", "width"));
    }

    @Test
    void trialIdsAreOneBasedAndFourDigits() {
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("grid-lr-zip.yaml"));
        assertEquals("trial-0001", trials.get(0).id());
        assertEquals(0, trials.get(0).index());
        assertEquals("trial-0014", trials.get(13).id());
        assertEquals(13, trials.get(13).index());
    }

    @Test
    void zipPairsEachBatchSizeWithItsOwnEpochs() {
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("batch-size-epochs.yaml"));
        assertEquals(List.of(List.of(1, 1), List.of(16, 10), List.of(128, 50), List.of(1024, 50)),
                column(trials, "batch_size", "epochs"));
        assertEquals(List.of(1, 10, 50, 50), trials.stream().map(TrialSpec::epochs).toList());
    }

    @Test
    void missingParametersTakeTheCatalogueDefaultsInCatalogueOrder() {
        TrialSpec trial = TrialExpander.expand(TestSpaces.load("minimal.yaml")).get(0);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("depth", 6);
        expected.put("width", 16);
        expected.put("batch_norm", false);
        expected.put("optimizer", "adam");
        expected.put("lr", 0.01);
        expected.put("batch_size", 256);
        expected.put("momentum", 0.9);
        expected.put("activation", "relu");
        expected.put("residual", false);
        expected.put("grad_clip_norm", 0.0);
        expected.put("l2", 0.0);
        expected.put("lr_schedule", "none");
        expected.put("lr_step_every", 10);
        expected.put("lr_step_gamma", 0.1);
        expected.put("lr_min", 0.0);
        expected.put("input_encoding", "raw");
        expected.put("sine_alphas", List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0));
        expected.put("record_batch_loss", false);
        expected.put("record_grad_layers", List.of());
        expected.put("epochs", 3);
        assertEquals(expected, trial.params());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(trial.params().keySet()));
    }

    @Test
    void fixedValuesOverrideDefaults() {
        TrialSpec trial = TrialExpander.expand(TestSpaces.load("grid-lr-zip.yaml")).get(0);
        assertEquals(true, trial.params().get("batch_norm"));
        assertEquals(5, trial.epochs());
    }

    @Test
    void searchedHoldsOnlySearchedParametersInFileOrder() {
        TrialSpec trial = TrialExpander.expand(TestSpaces.load("grid-lr-zip.yaml")).get(0);
        assertEquals(List.of("lr", "depth", "width"), List.copyOf(trial.searched().keySet()));
    }

    @Test
    void randomSearchGivesSamplesTrials() {
        assertEquals(10, TrialExpander.expand(TestSpaces.load("random.yaml")).size());
    }

    @Test
    void randomSearchIsTheSameAcrossTwoLoads() {
        assertEquals(TrialExpander.expand(TestSpaces.load("random.yaml")),
                TrialExpander.expand(TestSpaces.load("random.yaml")));
    }

    @Test
    void randomDrawsStayWithinTheirBounds() {
        for (TrialSpec t : TrialExpander.expand(TestSpaces.load("random.yaml"))) {
            double lr = t.doubleParam("lr");
            double momentum = t.doubleParam("momentum");
            int depth = t.intParam("depth");
            assertTrue(lr > 0 && lr >= 1e-5 && lr <= 1, "lr " + lr);
            assertTrue(momentum >= 0.5 && momentum <= 0.99, "momentum " + momentum);
            assertTrue(depth >= 1 && depth <= 10, "depth " + depth);
            assertTrue(List.of(8, 16, 32).contains(t.intParam("width")));
            assertTrue(List.of("relu", "tanh").contains(t.stringParam("activation")));
            assertTrue(List.of(List.of(16, 5), List.of(128, 20), List.of(1024, 40))
                    .contains(List.of(t.intParam("batch_size"), t.epochs())), "zip tuple kept together");
            assertEquals("sgd", t.stringParam("optimizer"));
        }
    }

    @Test
    void loguniformSpreadsOverOrdersOfMagnitude() throws IOException {
        List<TrialSpec> trials = TrialExpander.expand(load("""
                search: {strategy: random, samples: 200, params: {lr: {loguniform: [1e-6, 1]}}}
                """));
        long belowMilli = trials.stream().filter(t -> t.doubleParam("lr") < 1e-3).count();
        // Half the log-range lies below 1e-3; a linear uniform would put ~0.1% of draws there.
        assertTrue(belowMilli > 60 && belowMilli < 140, "draws below 1e-3: " + belowMilli);
    }

    @Test
    void randomDrawsArePinnedForTheSeed() {
        // Changing the generator or the draw order silently changes every past sweep's trials.
        List<TrialSpec> trials = TrialExpander.expand(TestSpaces.load("random.yaml"));
        assertEquals(PINNED_FIRST_RANDOM_TRIAL, trials.get(0).searched());
        assertEquals(List.of(4, 3, 6, 2, 4, 7, 4, 2, 4, 4), trials.stream().map(t -> t.intParam("depth")).toList());
    }

    @Test
    void anotherSeedDrawsOtherTrials() throws IOException {
        String search = "search: {strategy: random, samples: 5, params: {lr: {loguniform: [1e-5, 1]}}}\n";
        assertNotEquals(TrialExpander.expand(load("seed: 1\n" + search)),
                TrialExpander.expand(load("seed: 2\n" + search)));
    }

    @Test
    void yamlAndJsonVersionsExpandIdentically() {
        assertEquals(TrialExpander.expand(TestSpaces.load("grid-lr-zip.yaml")),
                TrialExpander.expand(TestSpaces.load("grid-lr-zip.json")));
        assertEquals(TrialExpander.expand(TestSpaces.load("random.yaml")),
                TrialExpander.expand(TestSpaces.load("random.json")));
    }

    @Test
    void intRangeIncludesBothEnds() throws IOException {
        List<TrialSpec> trials = TrialExpander.expand(load("""
                search: {strategy: random, samples: 100, params: {depth: {int: [1, 3]}}}
                """));
        assertEquals(Set.of(1, 2, 3),
                trials.stream().map(t -> t.intParam("depth")).collect(Collectors.toSet()));
    }

    @Test
    void degenerateRangesGiveTheirOnlyValue() throws IOException {
        TrialSpec trial = TrialExpander.expand(load("""
                search: {strategy: random, samples: 1, params: {lr: {loguniform: [0.01, 0.01]}, momentum: {uniform: [0.5, 0.5]}}}
                """)).get(0);
        assertEquals(0.01, trial.doubleParam("lr"));
        assertEquals(0.5, trial.doubleParam("momentum"));
    }

    private static final Map<String, Object> PINNED_FIRST_RANDOM_TRIAL = pinned();

    private static Map<String, Object> pinned() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", 8.895057134057925E-4);
        m.put("momentum", 0.5082262643187965);
        m.put("depth", 4);
        m.put("width", 16);
        m.put("activation", "tanh");
        m.put("batch_size", 128);
        m.put("epochs", 20);
        return m;
    }

    /** A minimal valid space (grid-free header) followed by {@code tail}, which must hold 'search' and may hold 'seed'. */
    private SearchSpace load(String tail) throws IOException {
        Path file = dir.resolve("space.yaml");
        Files.writeString(file, """
                name: s
                dataset: {name: europe-cities}
                model: {type: mlp}
                objective: {metric: val_loss, mode: min}
                epochs: 2
                """ + tail);
        return SearchSpaceLoader.load(file);
    }
}
