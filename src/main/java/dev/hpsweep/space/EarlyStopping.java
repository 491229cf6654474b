package dev.hpsweep.space;

import java.util.List;

/**
 * When to stop a hopeless trial before its last epoch. Only {@code none} exists so far; patience,
 * median and ASHA rules will be further records here.
 */
public sealed interface EarlyStopping permits EarlyStopping.None {

    /** Values accepted for {@code early_stopping.type}. */
    List<String> TYPES = List.of("none");

    /** Every trial runs all its epochs. */
    EarlyStopping NONE = new None();

    /** {@code type: none}. */
    record None() implements EarlyStopping {
    }
}
