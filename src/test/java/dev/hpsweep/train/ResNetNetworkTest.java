package dev.hpsweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hpsweep.data.Shape;
import dev.hpsweep.space.ParamDef;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResNetNetworkTest {

    private static ComputationGraph build(int width, Shape input, int classes) {
        List<ParamDef> params = new java.util.ArrayList<>(List.of(ParamDef.integerAtLeast("width", 1, 16, "w")));
        params.addAll(Dl4jSettings.OPTIMIZER);
        params.addAll(Dl4jSettings.REGULARISATION_AND_SCHEDULE);
        params.addAll(Dl4jSettings.DIAGNOSTICS);
        Dl4jSettings settings = Dl4jSettings.from(TrainerContract.trial(params, Map.of("width", width), 1));
        ComputationGraph net = new ComputationGraph(Dl4jTrainer.configuration(new ResNetNetwork(width), settings, input,
            classes, 1L));
        net.init();
        return net;
    }

    /**
     * The CIFAR ResNet18 at width 64 on 3 x 32 x 32 with 10 classes has 11,173,962 trainable
     * parameters (PyTorch's count); DL4J also keeps batch norm's running mean and variance as
     * parameters, 2 x 4,800 channels more.
     */
    @Test
    void widthSixtyFourIsTheStandardResNet18() {
        assertEquals(11_173_962 + 2 * 4_800, build(64, Shape.of(3, 32, 32), 10).numParams());
    }

    @Test
    void smallImagesKeepTheirSizeInTheStemAndHalveInEachLaterStage() {
        ComputationGraph net = build(4, Shape.of(1, 28, 28), 2);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 784);
        java.util.Map<String, INDArray> acts = net.feedForward(x, false);
        assertEquals(List.of(3L, 4L, 28L, 28L), List.of(box(acts.get("stemrelu").shape())));
        assertEquals(List.of(3L, 32L, 4L, 4L), List.of(box(acts.get("s4b2out").shape())));
        assertEquals(List.of(3L, 2L), List.of(box(acts.get("output").shape())));
    }

    @Test
    void gradientLayersNumberTheConvolutionsThenTheOutput() {
        ResNetNetwork net = new ResNetNetwork(4);
        assertEquals(20, net.convolutions().size());
        assertEquals("stem_W", net.gradientKey(0));
        assertEquals("output_W", net.gradientKey(20));
        assertThrows(IllegalArgumentException.class, () -> net.gradientKey(21));
    }

    @Test
    void tabularDataIsRefusedWithTheShapeItGot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(4, Shape.of(2), 2));
        assertEquals(true, e.getMessage().contains("2 features"), e.getMessage());
    }

    private static Long[] box(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toArray(Long[]::new);
    }
}
