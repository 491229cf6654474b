package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialSpecTest {

    private static TrialSpec trial() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("depth", 6);
        params.put("batch_norm", true);
        params.put("optimizer", "adam");
        params.put("lr", 0.001);
        params.put("epochs", 7);
        return new TrialSpec("trial-0001", 0, params, Map.of("lr", 0.001));
    }

    @Test
    void idIsOneBasedWithFourDigits() {
        assertEquals("trial-0001", TrialSpec.idOf(0));
        assertEquals("trial-9999", TrialSpec.idOf(9998));
    }

    @Test
    void idGrowsWiderPast9999() {
        assertEquals("trial-10000", TrialSpec.idOf(9999));
    }

    @Test
    void typedGettersReturnTheValues() {
        TrialSpec t = trial();
        assertEquals(6, t.intParam("depth"));
        assertEquals(true, t.boolParam("batch_norm"));
        assertEquals("adam", t.stringParam("optimizer"));
        assertEquals(0.001, t.doubleParam("lr"));
        assertEquals(7, t.epochs());
    }

    @Test
    void doubleGetterWidensIntegers() {
        assertEquals(6.0, trial().doubleParam("depth"));
    }

    @Test
    void getterOfTheWrongTypeFailsNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trial().intParam("lr"));
        assertEquals("trial-0001: parameter 'lr' is a Double (0.001), not a Integer", e.getMessage());
    }

    @Test
    void getterOfAnUnknownParameterFails() {
        assertThrows(IllegalArgumentException.class, () -> trial().stringParam("dropout"));
    }

    @Test
    void paramsAreACopyThatCannotChange() {
        Map<String, Object> params = new LinkedHashMap<>(trial().params());
        TrialSpec t = new TrialSpec("trial-0001", 0, params, Map.of());
        params.put("width", 8);
        assertFalse(t.params().containsKey("width"));
        assertThrows(UnsupportedOperationException.class, () -> t.params().put("width", 8));
    }

    @Test
    void paramsWithoutEpochsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TrialSpec("trial-0001", 0, Map.of("lr", 0.1), Map.of()));
    }
}
