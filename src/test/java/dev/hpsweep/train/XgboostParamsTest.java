package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hpsweep.space.ParamDef;
import dev.hpsweep.space.TrialSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XgboostParamsTest {

    private static Map<String, Object> defaults() {
        Map<String, Object> params = new LinkedHashMap<>();
        XgboostParams.PARAMS.forEach(def -> params.put(def.name(), def.defaultValue()));
        params.put("epochs", 3);
        return params;
    }

    @Test
    void declaresEveryParameterWithItsDefault() {
        assertEquals(List.of("max_depth", "eta", "min_child_weight", "subsample", "colsample_bytree", "lambda", "alpha",
                "gamma", "tree_method", "rounds_per_epoch"), XgboostParams.PARAMS.stream().map(ParamDef::name).toList());
        assertEquals(new XgboostParams(6, 0.3, 1, 1, 1, 1, 0, 0, "hist", 10), XgboostParams.defaults());
    }

    @Test
    void readsATrialsValuesWideningIntegersToNumbers() {
        Map<String, Object> params = defaults();
        params.put("max_depth", 3);
        params.put("eta", 1);
        params.put("subsample", 0.5);
        params.put("tree_method", "exact");
        XgboostParams p = XgboostParams.from(new TrialSpec("trial-0001", 0, params, Map.of()));
        assertEquals(new XgboostParams(3, 1.0, 1, 0.5, 1, 1, 0, 0, "exact", 10), p);
    }

    @Test
    void valuesOutsideTheirRulesAreRejectedWithTheRule() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new XgboostParams(6, 0.3, 1, 0, 1, 1, 0, 0, "hist", 10));
        assertEquals("'subsample' must be a number in (0, 1], but got 0", zero.getMessage());
        IllegalArgumentException method = assertThrows(IllegalArgumentException.class,
                () -> new XgboostParams(6, 0.3, 1, 1, 1, 1, 0, 0, "gpu_hist", 10));
        assertEquals("'tree_method' must be one of hist, approx, exact, but got 'gpu_hist'",
                method.getMessage().replaceAll(";.*", ""));
    }
}
