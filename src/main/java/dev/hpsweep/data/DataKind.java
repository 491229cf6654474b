package dev.hpsweep.data;

/** What kind of example a data set holds; a model type says which kinds it accepts. */
public enum DataKind {
    /** A vector of F numeric features. */
    TABULAR,
    /** C x H x W pixels scaled to [0, 1]. */
    IMAGES;

    /** The name search-space files and messages use: {@code tabular}, {@code images}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
