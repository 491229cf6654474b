package dev.hpsweep.schedule;

import static dev.hpsweep.schedule.ScriptedEpochs.ACCURACY;
import static dev.hpsweep.schedule.ScriptedEpochs.epoch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.space.Metrics;
import dev.hpsweep.space.Objective;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule against scripted curves; one behaviour per test. */
class EarlyStoppingRulesTest {

    // --- patience ---

    @Test
    void patienceStopsAfterPatienceEpochsWithoutAnImprovementBiggerThanMinDelta() {
        EarlyStopping rule = new PatienceStopping(2, 0.01, ACCURACY);
        assertFalse(epoch("t1", 1, 0.50).feed(rule).stop());
        assertFalse(epoch("t1", 2, 0.60).feed(rule).stop());
        assertFalse(epoch("t1", 3, 0.605).feed(rule).stop(), "0.005 is no improvement, but only one stale epoch");
        Decision d = epoch("t1", 4, 0.609).feed(rule);
        assertTrue(d.stop());
        assertEquals("patience: no improvement of val_accuracy by more than 0.0100 for 2 epochs "
            + "(best val_accuracy 0.6000 at epoch 2)", d.reason());
    }

    @Test
    void patienceCountsFromTheLatestImprovement() {
        EarlyStopping rule = new PatienceStopping(2, 0, ACCURACY);
        for (double[] e : new double[][] {{1, 0.5}, {2, 0.5}, {3, 0.6}, {4, 0.55}}) {
            assertFalse(epoch("t1", (int) e[0], e[1]).feed(rule).stop(), "epoch " + e[0]);
        }
        assertTrue(epoch("t1", 5, 0.59).feed(rule).stop());
    }

    @Test
    void patienceKeepsEachTrialsBestApart() {
        EarlyStopping rule = new PatienceStopping(1, 0, ACCURACY);
        epoch("good", 1, 0.9).feed(rule);
        assertFalse(epoch("other", 1, 0.1).feed(rule).stop());
        assertFalse(epoch("other", 2, 0.2).feed(rule).stop(), "improves on its own best, not the other trial's");
    }

    @Test
    void patienceShowsALossInItsOwnUnits() {
        Objective loss = new Objective(Metrics.VAL_LOSS, Objective.Mode.MIN);
        EarlyStopping rule = new PatienceStopping(1, 0, loss);
        epoch("t1", 1, -0.8).feed(rule);
        assertTrue(epoch("t1", 2, -0.9).feed(rule).reason().contains("best val_loss 0.8000 at epoch 1"));
    }

    // --- divergence ---

    @Test
    void divergenceStopsANonFiniteTrainingLossEvenDuringTheWarmUp() {
        EarlyStopping rule = new DivergenceStopping(5, Double.NaN);
        Decision d = epoch("t1", 1, 0.03, Double.NaN).feed(rule);
        assertTrue(d.stop());
        assertEquals("divergence: train_loss is NaN at epoch 1", d.reason());
    }

    @Test
    void divergenceStopsALossStuckAtChanceLevelAfterTheWarmUp() {
        EarlyStopping rule = new DivergenceStopping(2, 3.0);
        assertFalse(epoch("lr1", 1, 0.05, 3.6).feed(rule).stop());
        assertFalse(epoch("lr1", 2, 0.05, 3.56).feed(rule).stop());
        Decision d = epoch("lr1", 3, 0.05, 3.56).feed(rule);
        assertTrue(d.stop());
        assertEquals("divergence: train_loss 3.5600 is still above max_train_loss 3 after 2 warm-up epochs",
            d.reason());
    }

    @Test
    void divergenceLetsALearningTrialGoOn() {
        EarlyStopping rule = new DivergenceStopping(1, 3.0);
        assertFalse(epoch("ok", 1, 0.4, 3.4).feed(rule).stop());
        assertFalse(epoch("ok", 2, 0.6, 1.2).feed(rule).stop());
    }

    @Test
    void divergenceWithoutAThresholdOnlyStopsNonFiniteValues() {
        EarlyStopping rule = new DivergenceStopping(0, Double.NaN);
        assertFalse(epoch("t1", 9, 0.05, 99.0).feed(rule).stop());
        assertTrue(epoch("t1", 10, 0.05, Double.POSITIVE_INFINITY).feed(rule).stop());
    }

    // --- median ---

    @Test
    void medianStopsATrialWhoseBestIsBelowTheMedianOfTheOthersAtThatEpoch() {
        EarlyStopping rule = new MedianStopping(1, 3, ACCURACY);
        for (String t : List.of("a", "b", "c")) {
            epoch(t, 1, 0.5).feed(rule);
        }
        epoch("a", 2, 0.6).feed(rule);
        epoch("b", 2, 0.7).feed(rule);
        epoch("c", 2, 0.8).feed(rule);
        epoch("d", 1, 0.3).feed(rule);
        Decision d = epoch("d", 2, 0.65).feed(rule);
        assertTrue(d.stop());
        assertEquals("median rule at epoch 2: best val_accuracy 0.6500 is below the median 0.7000 of 3 other trials",
            d.reason());
    }

    @Test
    void medianWaitsForMinTrialsOthersAtTheSameEpoch() {
        EarlyStopping rule = new MedianStopping(0, 3, ACCURACY);
        epoch("a", 1, 0.9).feed(rule);
        epoch("b", 1, 0.9).feed(rule);
        assertFalse(epoch("c", 1, 0.1).feed(rule).stop(), "only two others reported epoch 1");
        assertTrue(epoch("d", 1, 0.1).feed(rule).stop());
    }

    @Test
    void medianComparesTheTrialsBestSoFarNotItsLastValue() {
        EarlyStopping rule = new MedianStopping(0, 1, ACCURACY);
        epoch("a", 1, 0.5).feed(rule);
        epoch("a", 2, 0.5).feed(rule);
        epoch("b", 1, 0.7).feed(rule);
        assertFalse(epoch("b", 2, 0.4).feed(rule).stop(), "best 0.7 beats the median 0.5");
    }

    @Test
    void medianNeverStopsDuringItsWarmUp() {
        EarlyStopping rule = new MedianStopping(2, 1, ACCURACY);
        epoch("a", 1, 0.9).feed(rule);
        epoch("a", 2, 0.9).feed(rule);
        assertFalse(epoch("b", 1, 0.1).feed(rule).stop());
        assertFalse(epoch("b", 2, 0.1).feed(rule).stop());
    }

    // --- asha ---

    @Test
    void ashaRungsSitAtGracePeriodTimesPowersOfTheReductionFactor() {
        AshaStopping asha = new AshaStopping(2, 3, ACCURACY);
        List<Integer> rungs = java.util.stream.IntStream.rangeClosed(1, 60).filter(asha::isRung).boxed().toList();
        assertEquals(List.of(2, 6, 18, 54), rungs);
    }

    @Test
    void ashaKeepsTheTopThirdOfTheTrialsThatReachedARung() {
        EarlyStopping rule = new AshaStopping(1, 3, ACCURACY);
        assertFalse(epoch("a", 1, 0.50).feed(rule).stop(), "first at the rung: rank 1 of 1");
        assertTrue(epoch("b", 1, 0.40).feed(rule).stop(), "rank 2 of 2, top ceil(2/3) = 1");
        assertFalse(epoch("c", 1, 0.60).feed(rule).stop(), "rank 1 of 3");
        assertFalse(epoch("d", 1, 0.55).feed(rule).stop(), "rank 2 of 4, top 2");
        assertTrue(epoch("e", 1, 0.45).feed(rule).stop(), "rank 4 of 5, top 2");
        Decision d = epoch("f", 1, 0.30).feed(rule);
        assertEquals("asha rung 1, rank 6 of 6 (val_accuracy 0.3000); only the top 2 go on", d.reason());
    }

    @Test
    void ashaDoesNotJudgeEpochsBetweenRungs() {
        EarlyStopping rule = new AshaStopping(1, 2, ACCURACY);
        epoch("a", 3, 0.9).feed(rule);
        assertEquals(Decision.CONTINUE, epoch("b", 3, 0.1).feed(rule));
    }

    @Test
    void ashaRecordsAPromotionAsAContinueWithAReason() {
        Decision d = epoch("a", 1, 0.5).feed(new AshaStopping(1, 3, ACCURACY));
        assertFalse(d.stop());
        assertEquals("asha rung 1, rank 1 of 1 (val_accuracy 0.5000), promoted", d.reason());
    }

    // --- combination ---

    @Test
    void theFirstRuleInListOrderThatStopsGivesTheReason() {
        EarlyStopping rule = new FirstStopWins(List.of(new DivergenceStopping(0, 3.0),
            new AshaStopping(1, 2, ACCURACY)));
        epoch("a", 1, 0.9, 1.0).feed(rule);
        Decision d = epoch("b", 1, 0.1, 3.5).feed(rule);
        assertTrue(d.reason().startsWith("divergence:"), d.reason());
    }

    @Test
    void everyCombinedRuleSeesEveryEpochEvenAfterAnotherOneStopped() {
        AshaStopping asha = new AshaStopping(1, 2, ACCURACY);
        EarlyStopping rule = new FirstStopWins(List.of(new DivergenceStopping(0, 3.0), asha));
        epoch("diverged", 1, 0.95, 3.5).feed(rule);
        // asha saw 0.95 at rung 1, so 0.9 ranks second of two and stops.
        assertTrue(epoch("b", 1, 0.9, 1.0).feed(rule).reason().startsWith("asha rung 1, rank 2 of 2"));
    }

    // --- construction ---

    @Test
    void constructorsStateTheRuleAndTheValue() {
        assertEquals("patience >= 1 must hold, but got patience=0",
            assertThrows(IllegalArgumentException.class, () -> new PatienceStopping(0, 0, ACCURACY)).getMessage());
        assertEquals("reduction_factor >= 2 must hold, but got reduction_factor=1",
            assertThrows(IllegalArgumentException.class, () -> new AshaStopping(1, 1, ACCURACY)).getMessage());
        assertEquals("min_trials >= 1 must hold, but got min_trials=0",
            assertThrows(IllegalArgumentException.class, () -> new MedianStopping(0, 0, ACCURACY)).getMessage());
        assertEquals("max_train_loss > 0 must hold, but got max_train_loss=-1.0",
            assertThrows(IllegalArgumentException.class, () -> new DivergenceStopping(0, -1)).getMessage());
    }

    @Test
    void theFactoryBuildsACombinationFromAListOfConfigs() {
        var config = new dev.hpsweep.space.EarlyStopping.Combined(List.of(
            new dev.hpsweep.space.EarlyStopping.Divergence(1, 3.0), new dev.hpsweep.space.EarlyStopping.Asha(1, 3)));
        assertInstanceOf(FirstStopWins.class, EarlyStoppingRules.create(config, ACCURACY));
        assertEquals("divergence (warmup_epochs 1, max_train_loss 3), then asha (grace_period 1, reduction_factor 3);"
            + " the first to stop wins", EarlyStoppingRules.describe(config));
        assertEquals(EarlyStopping.NONE, EarlyStoppingRules.create(dev.hpsweep.space.EarlyStopping.NONE, ACCURACY));
        assertEquals(Decision.CONTINUE, EarlyStopping.NONE.onEpoch("t", 1, 0.0, Map.of()));
    }
}
