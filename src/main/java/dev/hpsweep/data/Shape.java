package dev.hpsweep.data;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of one example: {@code [F]} for F features, or {@code [C, H, W]} for images of C
 * channels, H rows and W columns. A row of a {@link Dataset.Split} holds {@link #size()} values.
 */
public record Shape(List<Integer> dims) {
    public Shape {
        dims = List.copyOf(dims);
        if (dims.size() != 1 && dims.size() != 3) {
            throw new IllegalArgumentException("a shape is [features] or [channels, height, width], but got " + dims);
        }
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("every dimension of a shape must be >= 1, but got " + dims);
            }
        }
    }

    public static Shape of(int... dims) {
        return new Shape(java.util.Arrays.stream(dims).boxed().toList());
    }

    /** Values per example: the product of the dimensions. */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DataKind kind() {
        return dims.size() == 1 ? DataKind.TABULAR : DataKind.IMAGES;
    }

    /** For images: channels, height, width; fails for tabular data. */
    public int channels() { return image(0); }

    public int height() { return image(1); }

    public int width() { return image(2); }

    private int image(int i) {
        if (kind() != DataKind.IMAGES) {
            throw new IllegalStateException("a tabular shape " + this + " has no channels, height or width");
        }
        return dims.get(i);
    }

    /** {@code 2 features} or {@code 1x28x28}. */
    @Override
    public String toString() {
        return dims.size() == 1 ? dims.get(0) + " features"
            : dims.stream().map(String::valueOf).collect(Collectors.joining("x"));
    }
}
