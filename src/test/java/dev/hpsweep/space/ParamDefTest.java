package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParamDefTest {
    private final ParamDef depth = ParamDef.integerAtLeast("depth", 1, 6, "d");
    private final ParamDef lr = ParamDef.numberAbove("lr", 0, 0.001, "d");
    private final ParamDef momentum = ParamDef.numberInHalfOpen("momentum", 0, 1, 0.9, "d");
    private final ParamDef optimizer = ParamDef.oneOf("optimizer", List.of("adam", "sgd"), "adam", "d");

    @Test
    void describesItsRulesTheWayTheyAreWritten() {
        assertEquals("an integer >= 1", depth.describe());
        assertEquals("a number > 0", lr.describe());
        assertEquals("a number in [0, 1)", momentum.describe());
        assertEquals("one of adam, sgd", optimizer.describe());
        assertEquals("a boolean (true or false)", ParamDef.bool("batch_norm", false, "d").describe());
    }

    @Test
    void inclusiveLowerBoundAcceptsTheBound() {
        assertTrue(depth.check(1).isEmpty());
        assertEquals(Optional.of("'depth' must be an integer >= 1, but got 0"), depth.check(0));
    }

    @Test
    void exclusiveBoundsRejectTheBound() {
        assertEquals(Optional.of("'lr' must be a number > 0, but got 0"), lr.check(0.0));
        assertEquals(Optional.of("'momentum' must be a number in [0, 1), but got 1"), momentum.check(1.0));
        assertTrue(momentum.check(0.0).isEmpty());
    }

    @Test
    void leftOpenIntervalRejectsItsLowerBoundAndAcceptsItsUpperOne() {
        ParamDef subsample = ParamDef.numberAboveAtMost("subsample", 0, 1, 1.0, "d");
        assertEquals("a number in (0, 1]", subsample.describe());
        assertEquals(Optional.of("'subsample' must be a number in (0, 1], but got 0"), subsample.check(0.0));
        assertEquals(Optional.of("'subsample' must be a number in (0, 1], but got 1.5"), subsample.check(1.5));
        assertTrue(subsample.check(1.0).isEmpty());
    }

    @Test
    void valueOfTheWrongJavaTypeIsRejected() {
        assertTrue(depth.check(1.0).isPresent());
    }

    @Test
    void stringOutsideTheAllowedOnesSuggestsTheClosest() {
        assertEquals(Optional.of("'optimizer' must be one of adam, sgd, but got 'sdg'; did you mean 'sgd'?"),
                optimizer.check("sdg"));
    }

    @Test
    void defaultOfTheWrongTypeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ParamDef("depth", ParamDef.Kind.INT, List.of(),
                1.0, false, null, false, 6.0, "d"));
    }
}
