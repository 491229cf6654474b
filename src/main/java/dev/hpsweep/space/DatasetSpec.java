package dev.hpsweep.space;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a sweep's data comes from: a data set shipped with hpsweep, the user's CSV files, or the
 * user's image folders.
 */
public sealed interface DatasetSpec permits DatasetSpec.Embedded, DatasetSpec.Csv, DatasetSpec.Images {

    /**
     * Names of the embedded data sets. Mirrored from the {@code data} package (which this package
     * may not import) so that a typo fails at validation time; keep the two in step.
     */
    List<String> EMBEDDED_NAMES = List.of("europe-cities", "fashion-pretrain", "fashion-shirts");

    /**
     * As the search-space file writes it: {@code {name: ...}}, {@code {csv: {train, validation,
     * test}}} or {@code {images: {train, validation, test}, size: [H, W], channels: C}} ({@code size}
     * only when given), with absolute paths. Recorded in provenance.json and trial.json, so that a
     * sweep's report can load the data it trained on; {@link #fromMap} reads it back.
     */
    default Map<String, Object> toMap() {
        if (this instanceof Embedded e) {
            return Map.of("name", e.name());
        }
        if (this instanceof Images i) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("images", splits(i.train(), i.validation(), i.test()));
            if (i.height() != null) {
                map.put("size", List.of(i.height(), i.width()));
            }
            map.put("channels", i.channels());
            return Collections.unmodifiableMap(map);
        }
        Csv c = (Csv) this;
        return Map.of("csv", splits(c.train(), c.validation(), c.test()));
    }

    private static Map<String, Object> splits(Path train, Path validation, Path test) {
        Map<String, Object> splits = new LinkedHashMap<>();
        splits.put("train", train.toAbsolutePath().toString());
        splits.put("validation", validation.toAbsolutePath().toString());
        splits.put("test", test.toAbsolutePath().toString());
        return Collections.unmodifiableMap(splits);
    }

    /** The inverse of {@link #toMap()}. */
    static DatasetSpec fromMap(Map<?, ?> map) {
        if (map.get("name") instanceof String name) {
            return new Embedded(name);
        }
        if (map.get("csv") instanceof Map<?, ?> csv) {
            return new Csv(path(csv, "train"), path(csv, "validation"), path(csv, "test"));
        }
        if (map.get("images") instanceof Map<?, ?> images) {
            Integer height = null;
            Integer width = null;
            if (map.get("size") instanceof List<?> size && size.size() == 2
                && size.get(0) instanceof Number h && size.get(1) instanceof Number w) {
                height = h.intValue();
                width = w.intValue();
            } else if (map.get("size") != null) {
                throw new IllegalArgumentException("an image data set's size is [height, width], but got "
                    + map.get("size"));
            }
            int channels = map.get("channels") instanceof Number c ? c.intValue() : 1;
            return new Images(path(images, "train"), path(images, "validation"), path(images, "test"), height, width,
                channels);
        }
        throw new IllegalArgumentException("a data set is {name: ...}, {csv: {train, validation, test}} or "
            + "{images: {train, validation, test}, size: [H, W], channels: C}, but got " + map);
    }

    private static Path path(Map<?, ?> splits, String key) {
        if (!(splits.get(key) instanceof String text)) {
            throw new IllegalArgumentException("a data set needs a path for '" + key + "', but got " + splits);
        }
        return Path.of(text);
    }

    /** A data set shipped with hpsweep, one of {@link #EMBEDDED_NAMES}. */
    record Embedded(String name) implements DatasetSpec {
        public Embedded {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * User CSV files, absolute paths resolved against the search-space file's directory. Their
     * existence and columns are checked by the data loader, not here.
     */
    record Csv(Path train, Path validation, Path test) implements DatasetSpec {
        public Csv {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
            Objects.requireNonNull(test, "test");
        }
    }

    /**
     * The user's image folders, one per split, each holding one sub-folder of images per class;
     * absolute paths resolved against the search-space file's directory. Their existence and
     * content are checked by the data loader, not here.
     *
     * @param height   rows every image is resized to, or null to keep the images' own size (then
     *                 every image must have the same size); null exactly when {@code width} is
     * @param width    columns every image is resized to, or null with {@code height}
     * @param channels 1 (grayscale, by luminance) or 3 (RGB); an alpha channel is dropped
     */
    record Images(Path train, Path validation, Path test, Integer height, Integer width, int channels)
        implements DatasetSpec {
        public Images {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
            Objects.requireNonNull(test, "test");
            if ((height == null) != (width == null)) {
                throw new IllegalArgumentException("give both height and width or neither, but got height="
                    + height + ", width=" + width);
            }
            if (height != null && (height < 1 || width < 1)) {
                throw new IllegalArgumentException("height >= 1 and width >= 1 must hold, but got height="
                    + height + ", width=" + width);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, but got " + channels);
            }
        }
    }
}
