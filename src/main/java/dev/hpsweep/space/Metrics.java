package dev.hpsweep.space;

import java.util.List;

/**
 * Names of the metrics every trainer reports after each epoch; an objective ranks trials by one
 * of them. Losses are mean cross-entropy, accuracies fractions in [0, 1].
 */
public final class Metrics {
    public static final String TRAIN_LOSS = "train_loss";
    public static final String TRAIN_ACCURACY = "train_accuracy";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String TEST_LOSS = "test_loss";
    public static final String TEST_ACCURACY = "test_accuracy";

    /** All of the above, in the order reports list them. */
    public static final List<String> STANDARD = List.of(
            TRAIN_LOSS, TRAIN_ACCURACY, VAL_LOSS, VAL_ACCURACY, TEST_LOSS, TEST_ACCURACY);

    private Metrics() {
    }
}
