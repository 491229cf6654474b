package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.EmbeddedDatasets;
import dev.hpsweep.data.FeatureEncoding;
import dev.hpsweep.data.Dataset;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The study's training features: diagnostics, clipping, schedules, encodings, saved models. */
class MlpTrainerFeaturesTest {
    static final Dataset DATA = EmbeddedDatasets.load("europe-cities");

    @TempDir
    Path dir;

    private TrialSpec trial(String fixed) throws Exception {
        return TestTrials.expand(dir, 4, fixed, "{width: [8]}").get(0);
    }

    @Test
    void recordsOneLossPerBatchAndOneGradientMagnitudePerChosenLayer() throws Exception {
        TrialSpec t = trial("{depth: 3, batch_size: 4096, record_batch_loss: true, record_grad_layers: [0, 3]}");
        try (Dl4jTrainer trainer = TestTrainers.mlp(t, DATA, 42)) {
            EpochResult r = trainer.runEpoch(1);
            assertEquals(r.iterations(), r.diagnostics().get(Dl4jTrainer.BATCH_LOSS).size());
            double g0 = r.diagnostics().get(Dl4jTrainer.GRAD_SQ_NORM + 0).get(0);
            double g3 = r.diagnostics().get(Dl4jTrainer.GRAD_SQ_NORM + 3).get(0);
            assertTrue(g0 > 0 && Double.isFinite(g0), "layer 0: " + g0);
            assertTrue(g3 > 0 && Double.isFinite(g3), "output layer: " + g3);
            double meanBatchLoss = r.diagnostics().get(Dl4jTrainer.BATCH_LOSS).stream()
                .mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(r.metrics().get("train_loss"), meanBatchLoss, 1e-9);
        }
    }

    @Test
    void withoutDiagnosticsAnEpochCarriesNone() throws Exception {
        try (Dl4jTrainer trainer = TestTrainers.mlp(trial("{depth: 1, batch_size: 8192}"), DATA, 42)) {
            assertTrue(trainer.runEpoch(1).diagnostics().isEmpty());
        }
    }

    @Test
    void aGradientLayerBeyondTheOutputIsRejected() throws Exception {
        TrialSpec t = trial("{depth: 2, record_grad_layers: [3]}");
        assertThrows(IllegalArgumentException.class, () -> TestTrainers.mlp(t, DATA, 42));
    }

    @Test
    void clippingTheGradientNormChangesTheSteps() throws Exception {
        String base = "depth: 2, batch_size: 4096, optimizer: sgd, momentum: 0.0, lr: 0.1";
        INDArray free;
        INDArray clipped;
        try (Dl4jTrainer a = TestTrainers.mlp(trial("{" + base + "}"), DATA, 42)) {
            a.runEpoch(1);
            free = a.network().params().dup();
        }
        try (Dl4jTrainer b = TestTrainers.mlp(trial("{" + base + ", grad_clip_norm: 0.001}"), DATA, 42)) {
            INDArray start = b.network().params().dup();
            b.runEpoch(1);
            clipped = b.network().params().dup();
            // 12 steps of sgd with lr 0.1 and a gradient norm of at most 0.001 move the weights by <= 0.0012.
            double moved = clipped.sub(start).norm2Number().doubleValue();
            assertTrue(moved <= 12 * 0.1 * 0.001 * 1.01, "moved " + moved);
        }
        assertNotEquals(free, clipped);
    }

    @Test
    void stepAndCosineSchedulesGiveTheRateOfEachEpoch() {
        LearningRateSchedule step = new LearningRateSchedule("step", 0.1, 2, 0.5, 0);
        assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025},
            new double[] {step.rate(1, 5), step.rate(2, 5), step.rate(3, 5), step.rate(4, 5), step.rate(5, 5)}, 1e-12);
        LearningRateSchedule cosine = new LearningRateSchedule("cosine", 0.1, 1, 1, 0.01);
        assertEquals(0.1, cosine.rate(1, 5), 1e-12);
        assertEquals(0.055, cosine.rate(3, 5), 1e-12);
        assertEquals(0.01, cosine.rate(5, 5), 1e-12);
    }

    @Test
    void theSineEncodingFeedsTwentyFeaturesAndTrains() throws Exception {
        TrialSpec t = trial("{depth: 2, batch_size: 2048, lr: 0.01, input_encoding: sine}");
        FeatureEncoding enc = dev.hpsweep.models.MlpModel.encoding(t, DATA);
        assertEquals(20, enc.width(2));
        float[] row = enc.encode(new float[] {10f, 50f});
        assertEquals(Math.sin(0.1 * 10), row[0], 1e-6);
        assertEquals(Math.sin(1.0 * 50), row[19], 1e-6);
        try (Dl4jTrainer trainer = TestTrainers.mlp(t, DATA, 42)) {
            assertEquals(20L, trainer.network().layerInputSize("dense0"));
            trainer.runEpoch(1);
            var m = trainer.runEpoch(2).metrics();
            assertTrue(m.get("val_loss") < Math.log(35), m.toString());
        }
    }

    @Test
    void aSavedModelPredictsWhatTheTrainerPredicts() throws Exception {
        TrialSpec t = trial("{depth: 2, batch_size: 4096, batch_norm: true, residual: true, "
            + "input_encoding: standardized}");
        Path zip = dir.resolve("trials/trial-0001/model.zip");
        float[][] points = java.util.Arrays.copyOf(DATA.test().features(), 500);
        try (Dl4jTrainer trainer = TestTrainers.mlp(t, DATA, 42)) {
            trainer.runEpoch(1);
            trainer.saveModel(zip);
            FeatureEncoding enc = dev.hpsweep.models.MlpModel.encoding(t, DATA);
            INDArray out = trainer.network().output(false, org.nd4j.linalg.factory.Nd4j.create(enc.encode(points)))[0];
            int[] expected = new int[points.length];
            float[][] p = out.toFloatMatrix();
            for (int i = 0; i < p.length; i++) {
                expected[i] = Dl4jTrainer.argmax(p[i]);
            }
            assertArrayEquals(expected, Dl4jSavedModel.read(zip, enc::encode).predict(points));
        }
        assertEquals(List.of("model.zip"), Files.list(zip.getParent()).map(f -> f.getFileName().toString()).toList(),
            "no temp file left behind");
    }
}
