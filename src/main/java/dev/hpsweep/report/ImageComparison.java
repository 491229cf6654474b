package dev.hpsweep.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.util.List;

/**
 * Test images one model classifies correctly and another misclassifies (EXPERIMENTS 3.6), in a
 * row, each with its true class and both predictions.
 *
 * @param title      the image's title
 * @param rightName  the model that gets them right (a legend name)
 * @param wrongName  the model that gets them wrong
 * @param classNames names indexed by class
 * @param examples   the images to show
 */
public record ImageComparison(String title, String rightName, String wrongName, List<String> classNames,
                              List<Example> examples) {
    private static final int TILE = 168;
    private static final int GAP = 16;

    /**
     * One test image.
     *
     * @param index    its row in the test split
     * @param pixels   channels x height x width values in [0, 1], flattened
     * @param channels 1 (grey) or 3 (RGB)
     * @param truth    its class
     * @param right    the class the first model predicts (its true class)
     * @param wrong    the class the second model predicts
     */
    public record Example(int index, float[] pixels, int channels, int height, int width, int truth, int right,
                          int wrong) {
    }

    public ImageComparison {
        classNames = List.copyOf(classNames);
        examples = List.copyOf(examples);
    }

    public byte[] png() {
        int top = 60;
        int captionHeight = 58;
        int width = Math.max(GAP + examples.size() * (TILE + GAP), 720);
        int height = top + TILE + captionHeight + 10;
        Canvas canvas = new Canvas(width, height);
        Graphics2D g = canvas.g;
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, GAP, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("right: " + rightName + ";  wrong: " + wrongName, GAP, 40);
        for (int e = 0; e < examples.size(); e++) {
            Example x = examples.get(e);
            int x0 = GAP + e * (TILE + GAP);
            draw(g, x, x0, top);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x0 - 1, top - 1, TILE + 1, TILE + 1);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString("test #" + x.index() + ", true: " + classNames.get(x.truth()), x0, top + TILE + 16);
            g.setColor(new Color(0, 120, 0));
            g.drawString("right says: " + classNames.get(x.right()), x0, top + TILE + 32);
            g.setColor(new Color(180, 0, 0));
            g.drawString("wrong says: " + classNames.get(x.wrong()), x0, top + TILE + 48);
        }
        return canvas.png("image comparison");
    }

    /** The image scaled to the tile by nearest neighbour (the pixels stay visible as pixels). */
    private static void draw(Graphics2D g, Example x, int x0, int y0) {
        int plane = x.height() * x.width();
        for (int ty = 0; ty < TILE; ty++) {
            int r = ty * x.height() / TILE;
            for (int tx = 0; tx < TILE; tx++) {
                int c = tx * x.width() / TILE;
                int i = r * x.width() + c;
                int red = grey(x.pixels()[i]);
                int green = x.channels() == 3 ? grey(x.pixels()[plane + i]) : red;
                int blue = x.channels() == 3 ? grey(x.pixels()[2 * plane + i]) : red;
                g.setColor(new Color(red, green, blue));
                g.fillRect(x0 + tx, y0 + ty, 1, 1);
            }
        }
    }

    private static int grey(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
