package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ObjectiveTest {
    private final Objective accuracy = new Objective("val_accuracy", Objective.Mode.MAX);
    private final Objective loss = new Objective("val_loss", Objective.Mode.MIN);

    @Test
    void maxModePrefersHigherValues() {
        assertTrue(accuracy.better(0.9, 0.8));
        assertFalse(accuracy.better(0.8, 0.9));
    }

    @Test
    void minModePrefersLowerValues() {
        assertTrue(loss.better(0.1, 0.2));
        assertFalse(loss.better(0.2, 0.1));
    }

    @Test
    void equalValuesAreNotBetter() {
        assertFalse(accuracy.better(0.5, 0.5));
        assertFalse(loss.better(0.5, 0.5));
    }

    @Test
    void nanIsNeverBetterAndAlwaysBeaten() {
        assertFalse(loss.better(Double.NaN, 1e9));
        assertTrue(loss.better(1e9, Double.NaN));
        assertFalse(accuracy.better(Double.NaN, Double.NaN));
    }

    @Test
    void unknownMetricIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Objective("accuracy", Objective.Mode.MAX));
    }
}
