package dev.hpsweep.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every early-stopping rule promises, checked on each one over scripted learning curves. */
class EarlyStoppingContractTest {

    /** Each rule, a factory of fresh instances, and the last epoch at which it must never stop a finite curve. */
    static Stream<Arguments> rules() {
        return Stream.of(
            rule("patience 3", () -> new PatienceStopping(3, 0.001, ScriptedEpochs.ACCURACY), 3),
            rule("divergence warm-up 2", () -> new DivergenceStopping(2, 3.0), 2),
            rule("median warm-up 2", () -> new MedianStopping(2, 2, ScriptedEpochs.ACCURACY), 2),
            rule("asha grace 2", () -> new AshaStopping(2, 2, ScriptedEpochs.ACCURACY), 1),
            rule("divergence then asha", () -> new FirstStopWins(List.of(new DivergenceStopping(1, 3.0),
                new AshaStopping(3, 3, ScriptedEpochs.ACCURACY))), 1));
    }

    private static Arguments rule(String name, Supplier<EarlyStopping> factory, int warmup) {
        return Arguments.of(name, factory, warmup);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void neverStopsAFiniteCurveDuringItsWarmUp(String name, Supplier<EarlyStopping> factory, int warmup) {
        for (long seed = 1; seed <= 5; seed++) {
            EarlyStopping rule = factory.get();
            for (ScriptedEpochs.Epoch e : ScriptedEpochs.curves(12, 10, seed)) {
                Decision d = e.feed(rule);
                if (e.epoch() <= warmup) {
                    assertFalse(d.stop(), name + " stopped " + e + " during its warm-up: " + d.reason());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void replayingTheSameEpochsIntoAFreshInstanceGivesTheSameDecisions(String name, Supplier<EarlyStopping> factory,
                                                                     int warmup) {
        List<ScriptedEpochs.Epoch> sequence = ScriptedEpochs.curves(12, 10, 42);
        List<Decision> first = ScriptedEpochs.replay(factory.get(), sequence);
        List<Decision> again = ScriptedEpochs.replay(factory.get(), sequence);
        assertEquals(first, again);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void stopsSomethingOnCurvesThatIncludeHopelessTrials(String name, Supplier<EarlyStopping> factory, int warmup) {
        // Guards the two tests above against a rule that passes them by never stopping anything.
        List<Decision> decisions = ScriptedEpochs.replay(factory.get(), ScriptedEpochs.curves(12, 10, 42));
        assertTrue(decisions.stream().anyMatch(Decision::stop), name + " stopped nothing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void everyStopHasAReasonThatNamesTheRule(String name, Supplier<EarlyStopping> factory, int warmup) {
        for (Decision d : ScriptedEpochs.replay(factory.get(), ScriptedEpochs.curves(12, 10, 7))) {
            if (d.stop()) {
                assertTrue(d.reason().matches("(patience|divergence|median rule|asha rung).*"), d.reason());
            }
        }
    }
}
