package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hpsweep.data.Dataset;
import dev.hpsweep.data.Shape;
import dev.hpsweep.space.ParamDef;
import dev.hpsweep.space.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Transfer learning in the shared DL4J loop: a small ResNet pre-trained on 4 classes, then started
 * from for 2 other classes with the backbone frozen (linear probe) or not (fine-tuning).
 */
class TransferTest {
    @TempDir
    static Path dir;
    static Path pretrained;

    static List<ParamDef> params() {
        List<ParamDef> p = new ArrayList<>(List.of(ParamDef.integerAtLeast("width", 1, 16, "w")));
        p.addAll(Dl4jSettings.OPTIMIZER);
        p.addAll(Dl4jSettings.REGULARISATION_AND_SCHEDULE);
        p.addAll(Dl4jSettings.DIAGNOSTICS);
        p.add(OutputHead.PARAM);
        return p;
    }

    static TrialSpec trial(Map<String, Object> values, int epochs) {
        Map<String, Object> v = new java.util.HashMap<>(Map.of("width", 2, "batch_size", 16, "lr", 0.01));
        v.putAll(values);
        return TrainerContract.trial(params(), v, epochs);
    }

    /** {@code classes} classes of 1 x 8 x 8 images: class k lights quadrant k. */
    static Dataset quadrants(int classes, int offset, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Dataset("quadrants", Shape.of(1, 8, 8), split(random, 48, classes, offset),
            split(random, 16, classes, offset), split(random, 16, classes, offset), classes,
            java.util.stream.IntStream.range(0, classes).mapToObj(i -> "q" + i).toList());
    }

    private static Dataset.Split split(SplittableRandom random, int rows, int classes, int offset) {
        float[][] x = new float[rows][64];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
            int q = (y[i] + offset) % 4;
            for (int p = 0; p < 64; p++) {
                boolean lit = (p / 8 < 4) == (q < 2) && (p % 8 < 4) == (q % 2 == 0);
                x[i][p] = (float) Math.min(1, Math.max(0, (lit ? 0.8 : 0.1) + 0.1 * random.nextGaussian()));
            }
        }
        return new Dataset.Split(x, y);
    }

    @BeforeAll
    static void pretrain() {
        TrialSpec t = trial(Map.of(), 2);
        try (Dl4jTrainer trainer = new Dl4jTrainer(t.id(), 1, 2, Dl4jSettings.from(t), ResNetNetwork.from(t),
            Nd4jSplits.of(quadrants(4, 0, 3)))) {
            trainer.runEpoch(1);
            trainer.runEpoch(2);
            pretrained = dir.resolve("pre.zip");
            trainer.saveModel(pretrained);
        }
    }

    private static TrainerFactory factory(boolean freeze) {
        Nd4jSplits data = Nd4jSplits.of(quadrants(2, 1, 4));
        InitialWeights init = new InitialWeights(pretrained, "test", freeze);
        return t -> new Dl4jTrainer(t.id(), 5, t.epochs(), Dl4jSettings.from(t), ResNetNetwork.from(t), data, init);
    }

    @Test
    void aProbeTrainsOnlyTheNewHeadAndKeepsTheBackboneBitForBit() {
        TrialSpec t = trial(Map.of("record_grad_layers", List.of(0, 20)), 2);
        try (Dl4jTrainer probe = (Dl4jTrainer) factory(true).create(t)) {
            INDArray stemBefore = probe.network().getParam("stem_W").dup();
            INDArray headBefore = probe.network().getParam("output_W").dup();
            assertEquals(List.of(16L, 2L), List.of(headBefore.shape()[0], headBefore.shape()[1]), "8 x width in, 2 classes out");
            EpochResult r = probe.runEpoch(1);
            assertEquals(stemBefore, probe.network().getParam("stem_W"));
            assertNotEquals(headBefore, probe.network().getParam("output_W"));
            assertTrue(Double.isNaN(r.diagnostics().get(Dl4jTrainer.GRAD_SQ_NORM + 0).get(0)), r.diagnostics().toString());
            assertTrue(r.diagnostics().get(Dl4jTrainer.GRAD_SQ_NORM + 20).get(0) > 0, r.diagnostics().toString());
        }
    }

    @Test
    void fineTuningMovesTheBackboneToo() {
        TrialSpec t = trial(Map.of(), 2);
        try (Dl4jTrainer tuned = (Dl4jTrainer) factory(false).create(t)) {
            INDArray stemBefore = tuned.network().getParam("stem_W").dup();
            tuned.runEpoch(1);
            assertNotEquals(stemBefore, tuned.network().getParam("stem_W"));
        }
    }

    @Test
    void probeAndFineTuneKeepTheTrainerContract() {
        // A lone softmax head saturates rather than overflows at a huge lr (the loss is clamped and
        // stays finite); L2 makes each step multiply the weights by -lr, which overflows at once.
        TrialSpec diverging = trial(Map.of("optimizer", "sgd", "lr", 1e30, "momentum", 0.0, "l2", 1.0), 2);
        TrainerContract.check(factory(true), trial(Map.of("grad_clip_norm", 1.0), 2), diverging);
        TrainerContract.check(factory(false), trial(Map.of("lr_schedule", "cosine"), 2), diverging);
    }

    /** The study's head: the 4-class softmax pre-training replaced by one sigmoid unit for the 2 new classes. */
    @Test
    void aSigmoidHeadReplacesASoftmaxOneAndKeepsTheTrainerContract() {
        TrialSpec t = trial(Map.of("output", "sigmoid"), 2);
        try (Dl4jTrainer probe = (Dl4jTrainer) factory(true).create(t)) {
            assertEquals(List.of(16L, 1L), List.of(box(probe.network().getParam("output_W").shape())));
            EpochResult r = probe.runEpoch(1);
            double acc = r.metrics().get("val_accuracy");
            assertTrue(acc >= 0 && acc <= 1 && Double.isFinite(r.metrics().get("val_loss")), r.metrics().toString());
        }
        TrialSpec diverging = trial(Map.of("output", "sigmoid", "optimizer", "sgd", "lr", 1e30, "momentum", 0.0,
            "l2", 1.0), 2);
        TrainerContract.check(factory(false), trial(Map.of("output", "sigmoid"), 2), diverging);
    }

    @Test
    void aSigmoidHeadOnMoreThanTwoClassesIsRefusedWithTheFix() {
        TrialSpec t = trial(Map.of("output", "sigmoid"), 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new Dl4jTrainer(t.id(), 1, 1, Dl4jSettings.from(t), ResNetNetwork.from(t),
                Nd4jSplits.of(quadrants(4, 0, 3))));
        assertTrue(e.getMessage().contains("4 classes") && e.getMessage().contains("output: softmax"), e.getMessage());
    }

    private static Long[] box(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toArray(Long[]::new);
    }
}
