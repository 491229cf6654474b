package dev.hpsweep.train;

import dev.hpsweep.data.Shape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/**
 * A DL4J network as a model type defines it, and nothing else: {@link Dl4jTrainer} trains,
 * evaluates, checkpoints and saves any network built this way.
 *
 * <p>The graph's input is named {@code input} and receives each example as a row of
 * {@link Shape#size()} values (images: C x H x W flattened, so a definition for images sets
 * {@code InputType.convolutionalFlat}); its one output is the {@code OutputLayer} the
 * trainer's {@link OutputHead} makes, named {@code output}, fed by a single vertex (the trainer reads train-mode
 * logits from that vertex's activation and {@code output_W}, {@code output_b}).
 */
public interface NetworkDefinition {

    /**
     * The network for examples of {@code input} and {@code classes} classes.
     *
     * @param base seed, data type (float), updater and L2 already set; add weight initialisation and layers
     * @param head makes the layer named {@code output}: {@code head.layer(nIn, classes)}
     */
    ComputationGraphConfiguration configuration(NeuralNetConfiguration.Builder base, Shape input, int classes,
                                                OutputHead head);

    /**
     * The parameter key ({@code <vertex>_W}) of layer {@code layer} as {@code record_grad_layers}
     * numbers them.
     *
     * @throws IllegalArgumentException naming the layers there are, for a layer this network does not have
     */
    String gradientKey(int layer);
}
