package dev.hpsweep.data;

import dev.hpsweep.space.InputException;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads the image data sets that users bring themselves: one folder per split, each holding one
 * sub-folder per class ({@code DIR/<class>/*.png|jpg|jpeg}, extensions in any case). The class
 * names are the sub-folders' names, sorted; every split must have the same ones.
 *
 * <p>What is read, so that the data (and its fingerprint) is the same on every machine: class
 * folders and the files in each are taken in sorted name order ({@link String#compareTo}, not the
 * platform's listing order or locale). Files and folders whose name starts with '.' are skipped
 * (.DS_Store, .ipynb_checkpoints), and so are files that are not images (a README, labels.txt). An
 * image in a format not read (.bmp, .gif, .tif, .tiff, .webp) and a folder inside a class folder are
 * errors rather than skipped, since skipping them would silently drop training data.
 *
 * <p>Pixels: each row is {@code channels x height x width} values in [0, 1]. With one channel a
 * colour image becomes its luminance 0.299 R + 0.587 G + 0.114 B (computed here, not by Java2D,
 * whose conversions of gray images are gamma-corrected); a gray image keeps its gray values, 8 or
 * 16 bits. With three channels a gray image is repeated in R, G and B. An alpha channel is dropped.
 * When a size is given, images of another size are resized by {@link #resize bilinear
 * interpolation} computed here in plain Java; without a size every image must have the same size.
 */
public final class ImageFolderReader {
    private static final List<String> READ_EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
    /** Image formats a user may well have, which are refused rather than silently skipped. */
    private static final List<String> REFUSED_EXTENSIONS = List.of(".bmp", ".gif", ".tif", ".tiff", ".webp");
    private static final String LAYOUT = "one sub-folder per class holding its .png, .jpg or .jpeg images "
        + "(e.g. cat/1.png, dog/1.png)";

    private ImageFolderReader() {
    }

    /**
     * Reads the three splits of a user's image data set.
     *
     * @param height   rows to resize every image to, or null to keep the images' size (null exactly
     *                 when {@code width} is)
     * @param width    columns to resize every image to, or null
     * @param channels 1 (grayscale) or 3 (RGB)
     * @return a data set of shape {@code channels x height x width}, labels indexing the sorted class names
     * @throws InputException naming the folder or file, if a folder is missing or has no class
     *                        sub-folders, a class has no images, a file does not decode, images differ
     *                        in size while no size is given, or the splits' classes differ
     */
    public static Dataset read(Path train, Path validation, Path test, Integer height, Integer width, int channels) {
        if ((height == null) != (width == null)) {
            throw new IllegalArgumentException("give both height and width or neither, but got height=" + height
                + ", width=" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, but got " + channels);
        }
        Map<String, List<Path>> trainClasses = classes("train", train);
        Map<String, List<Path>> validationClasses = classes("validation", validation);
        Map<String, List<Path>> testClasses = classes("test", test);
        List<String> classNames = List.copyOf(trainClasses.keySet());
        sameClasses("validation", validation, classNames, validationClasses);
        sameClasses("test", test, classNames, testClasses);

        Decoder decoder = new Decoder(channels, height, width);
        Dataset.Split trainSplit = decoder.split(trainClasses);
        Dataset.Split validationSplit = decoder.split(validationClasses);
        Dataset.Split testSplit = decoder.split(testClasses);
        return new Dataset("images:" + train, Shape.of(channels, decoder.height, decoder.width), trainSplit,
            validationSplit, testSplit, classNames.size(), classNames);
    }

    /** The split's class names, sorted, each with its image files, sorted by name. */
    private static Map<String, List<Path>> classes(String split, Path folder) {
        if (!Files.exists(folder)) {
            throw new InputException(folder, 0, 0, null, "the " + split + " folder does not exist; expected a folder "
                + "with " + LAYOUT);
        }
        if (!Files.isDirectory(folder)) {
            throw new InputException(folder, 0, 0, null, "is a file, but the " + split + " split must be a folder "
                + "with " + LAYOUT);
        }
        Map<String, List<Path>> classes = new LinkedHashMap<>();
        int loose = 0;
        for (Path entry : sortedEntries(folder)) {
            if (Files.isDirectory(entry)) {
                classes.put(name(entry), images(split, name(entry), entry));
            } else if (isImage(entry)) {
                loose++;
            }
        }
        if (classes.isEmpty()) {
            String holds = loose == 0 ? "" : " (it holds " + loose + (loose == 1 ? " image" : " images") + " directly)";
            throw new InputException(folder, 0, 0, null, "the " + split + " folder has no class sub-folders" + holds
                + "; expected " + LAYOUT);
        }
        return classes;
    }

    private static List<Path> images(String split, String className, Path classFolder) {
        List<Path> images = new ArrayList<>();
        for (Path entry : sortedEntries(classFolder)) {
            if (Files.isDirectory(entry)) {
                throw new InputException(entry, 0, 0, null, "is a folder inside class '" + className + "' of the "
                    + split + " split; a class's images must lie directly in its folder (sub-folders are not read)");
            }
            String extension = extension(entry);
            if (REFUSED_EXTENSIONS.contains(extension)) {
                throw new InputException(entry, 0, 0, null, "only .png, .jpg and .jpeg images are read; convert "
                    + "this file or move it out of the class folder");
            }
            if (READ_EXTENSIONS.contains(extension)) {
                images.add(entry);
            }
        }
        if (images.isEmpty()) {
            throw new InputException(classFolder, 0, 0, null, "class '" + className + "' of the " + split
                + " split has no .png, .jpg or .jpeg images");
        }
        return images;
    }

    /** The folder's entries, hidden ones left out, in name order whatever the platform lists. */
    private static List<Path> sortedEntries(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !name(p).startsWith("."))
                .sorted((a, b) -> name(a).compareTo(name(b)))
                .toList();
        } catch (IOException e) {
            throw new InputException(folder, 0, 0, null, "cannot list the folder: " + e);
        }
    }

    private static void sameClasses(String split, Path folder, List<String> trainNames,
                                    Map<String, List<Path>> classes) {
        for (String name : trainNames) {
            if (!classes.containsKey(name)) {
                throw new InputException(folder, 0, 0, null, "the " + split + " split has no class '" + name
                    + "', which the train split has; every split needs the same classes (train: "
                    + String.join(", ", trainNames) + "; " + split + ": " + String.join(", ", classes.keySet()) + ")");
            }
        }
        for (String name : classes.keySet()) {
            if (!trainNames.contains(name)) {
                throw new InputException(folder, 0, 0, null, "the " + split + " split has class '" + name
                    + "', which the train split lacks; every split needs the same classes (train: "
                    + String.join(", ", trainNames) + "; " + split + ": " + String.join(", ", classes.keySet()) + ")");
            }
        }
    }

    private static boolean isImage(Path file) {
        String extension = extension(file);
        return READ_EXTENSIONS.contains(extension) || REFUSED_EXTENSIONS.contains(extension);
    }

    private static String extension(Path file) {
        String name = name(file).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    /**
     * Turns images into rows of one shape: the given size, or else the first image's, which every
     * later image must then have.
     */
    private static final class Decoder {
        private final int channels;
        private final boolean resizes;
        private int height;
        private int width;
        private Path first;

        Decoder(int channels, Integer height, Integer width) {
            this.channels = channels;
            this.resizes = height != null;
            this.height = resizes ? height : 0;
            this.width = resizes ? width : 0;
        }

        Dataset.Split split(Map<String, List<Path>> classes) {
            List<float[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            int label = 0;
            for (List<Path> files : classes.values()) {
                for (Path file : files) {
                    rows.add(row(file));
                    labels.add(label);
                }
                label++;
            }
            return new Dataset.Split(rows.toArray(new float[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray());
        }

        private float[] row(Path file) {
            BufferedImage image = decode(file);
            int h = image.getHeight();
            int w = image.getWidth();
            if ((long) channels * h * w > Integer.MAX_VALUE) {
                throw new InputException(file, 0, 0, null, "is " + h + "x" + w + " pixels (height x width), too "
                    + "large for one row; give the data set a smaller size: [H, W]");
            }
            if (first == null && !resizes) {
                height = h;
                width = w;
            }
            if (first == null) {
                first = file;
            }
            float[] planes = planes(image, channels);
            if (h == height && w == width) {
                return planes;
            }
            if (!resizes) {
                throw new InputException(file, 0, 0, null, "is " + h + "x" + w + " pixels (height x width), but "
                    + first + " is " + height + "x" + width + "; give the data set a size: [H, W] to resize every "
                    + "image, or make them all the same size");
            }
            return resize(planes, channels, h, w, height, width);
        }
    }

    private static BufferedImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // Broken files surface as IIOException, but also as runtime exceptions from inside the decoders.
            throw new InputException(file, 0, 0, null, "cannot decode the image: " + e.getMessage());
        }
        if (image == null) {
            throw new InputException(file, 0, 0, null, "cannot decode the image: not a PNG or JPEG file");
        }
        return image;
    }

    /** The image as {@code channels} planes of {@code h x w} values in [0, 1], one after the other. */
    static float[] planes(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        int area = h * w;
        float[] planes = new float[channels * area];
        ColorModel model = image.getColorModel();
        if (!(model instanceof IndexColorModel) && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // The raster's own samples: BufferedImage.getRGB would gamma-correct them on the way to sRGB.
            double max = (1L << model.getComponentSize(0)) - 1;
            int[] samples = image.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < area; i++) {
                float gray = (float) (samples[i] / max);
                for (int c = 0; c < channels; c++) {
                    planes[c * area + i] = gray;
                }
            }
            return planes;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < area; i++) {
            int r = (argb[i] >> 16) & 0xff;
            int g = (argb[i] >> 8) & 0xff;
            int b = argb[i] & 0xff;
            if (channels == 3) {
                planes[i] = r / 255f;
                planes[area + i] = g / 255f;
                planes[2 * area + i] = b / 255f;
            } else if (r == g && g == b) {
                planes[i] = r / 255f; // the weights sum to 1, so a gray pixel keeps its value, without rounding
            } else {
                planes[i] = (float) ((0.299 * r + 0.587 * g + 0.114 * b) / 255.0);
            }
        }
        return planes;
    }

    /**
     * Bilinear interpolation of each of {@code channels} planes from {@code inH x inW} to
     * {@code outH x outW}, with pixel centres aligned (OpenCV's INTER_LINEAR, PyTorch's
     * {@code align_corners=False}): output pixel x samples the input at
     * {@code (x + 0.5) * inW / outW - 0.5}, clamped to the edge pixels. No antialiasing: shrinking by
     * more than 2x skips pixels. Computed in double and rounded once per value, so it gives the same
     * floats on every JVM.
     */
    static float[] resize(float[] planes, int channels, int inH, int inW, int outH, int outW) {
        Axis xs = new Axis(inW, outW);
        Axis ys = new Axis(inH, outH);
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            int in = c * inH * inW;
            int at = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int row0 = in + ys.low[y] * inW;
                int row1 = in + ys.high[y] * inW;
                double wy = ys.weight[y];
                for (int x = 0; x < outW; x++) {
                    int x0 = xs.low[x];
                    int x1 = xs.high[x];
                    double wx = xs.weight[x];
                    double top = planes[row0 + x0] + wx * (planes[row0 + x1] - planes[row0 + x0]);
                    double bottom = planes[row1 + x0] + wx * (planes[row1 + x1] - planes[row1 + x0]);
                    double value = top + wy * (bottom - top);
                    out[at++] = (float) Math.min(1.0, Math.max(0.0, value));
                }
            }
        }
        return out;
    }

    /** For each output position along one axis: the two input pixels it lies between and the weight of the second. */
    private static final class Axis {
        final int[] low;
        final int[] high;
        final double[] weight;

        Axis(int in, int out) {
            low = new int[out];
            high = new int[out];
            weight = new double[out];
            for (int i = 0; i < out; i++) {
                double source = Math.max(0.0, ((2.0 * i + 1) * in - out) / (2.0 * out));
                int below = (int) source;
                if (below >= in - 1) {
                    low[i] = in - 1;
                    high[i] = in - 1;
                } else {
                    low[i] = below;
                    high[i] = below + 1;
                    weight[i] = source - below;
                }
            }
        }
    }
}
