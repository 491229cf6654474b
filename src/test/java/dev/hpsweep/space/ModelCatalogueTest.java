package dev.hpsweep.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCatalogueTest {

    @Test
    void mlpParametersAreInCatalogueOrderWithEpochsLast() {
        assertEquals(List.of("depth", "width", "batch_norm", "optimizer", "lr", "batch_size", "momentum",
                "activation", "residual", "grad_clip_norm", "l2", "lr_schedule", "lr_step_every", "lr_step_gamma",
                "lr_min", "input_encoding", "sine_alphas", "record_batch_loss", "record_grad_layers", "epochs"),
                ModelCatalogue.installed().paramNames("mlp"));
    }

    @Test
    void everyDefaultSatisfiesItsOwnRules() {
        for (String type : ModelCatalogue.installed().types()) {
            for (ParamDef def : ModelCatalogue.installed().params(type)) {
                if (def != ModelCatalogue.EPOCHS) {
                    assertNotNull(def.defaultValue(), def.name());
                    assertTrue(def.check(def.defaultValue()).isEmpty(), def.name() + ": " + def.check(def.defaultValue()));
                }
            }
        }
    }

    @Test
    void parameterNamesAreUniquePerType() {
        for (String type : ModelCatalogue.installed().types()) {
            List<String> names = ModelCatalogue.installed().paramNames(type);
            assertEquals(names.size(), new HashSet<>(names).size(), type);
        }
    }

    @Test
    void mlpDefaultsAreTheCourseDefaults() {
        assertEquals(6, ModelCatalogue.installed().param("mlp", "depth").orElseThrow().defaultValue());
        assertEquals(16, ModelCatalogue.installed().param("mlp", "width").orElseThrow().defaultValue());
        assertEquals("adam", ModelCatalogue.installed().param("mlp", "optimizer").orElseThrow().defaultValue());
        assertEquals(0.001, ModelCatalogue.installed().param("mlp", "lr").orElseThrow().defaultValue());
        assertEquals(256, ModelCatalogue.installed().param("mlp", "batch_size").orElseThrow().defaultValue());
    }

    @Test
    void unknownParameterIsAbsent() {
        assertFalse(ModelCatalogue.installed().param("mlp", "dropout").isPresent());
    }

    @Test
    void unknownModelTypeIsRejected() {
        assertFalse(ModelCatalogue.installed().isKnown("resnet"));
        assertThrows(IllegalArgumentException.class, () -> ModelCatalogue.installed().params("resnet"));
    }
}
