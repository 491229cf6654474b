package dev.hpsweep.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;
import java.util.Locale;

/**
 * A trial's test-split confusion matrix: {@code counts[true][predicted]}, drawn as a grid shaded by
 * each true class's share (so a class with few examples is as visible as a large one), with the
 * count in each cell.
 *
 * @param title      the image's title
 * @param classNames names indexed by class
 * @param counts     square, one row per true class
 */
public record ConfusionMatrix(String title, List<String> classNames, long[][] counts) {
    /** More classes than this are drawn without counts in the cells (they would not fit). */
    private static final int MAX_LABELLED = 20;

    public ConfusionMatrix {
        classNames = List.copyOf(classNames);
        if (counts.length != classNames.size()) {
            throw new IllegalArgumentException(counts.length + " rows for " + classNames.size() + " classes");
        }
    }

    /** The matrix of {@code predicted} against {@code truth} over {@code classes} classes. */
    public static ConfusionMatrix of(String title, List<String> classes, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        long[][] counts = new long[classes.size()][classes.size()];
        for (int i = 0; i < truth.length; i++) {
            counts[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(title, classes, counts);
    }

    /** Correct predictions over all predictions. */
    public double accuracy() {
        long right = 0;
        long all = 0;
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts.length; p++) {
                all += counts[t][p];
                right += t == p ? counts[t][p] : 0;
            }
        }
        return all == 0 ? Double.NaN : right / (double) all;
    }

    public byte[] png() {
        int n = classNames.size();
        int cell = Math.max(14, Math.min(80, 640 / Math.max(1, n)));
        Canvas probe = new Canvas(1, 1);
        probe.g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int labelWidth = 0;
        for (int k = 0; k < n; k++) {
            labelWidth = Math.max(labelWidth, probe.g.getFontMetrics().stringWidth(label(k)));
        }
        probe.png("probe");
        int left = labelWidth + 50;
        int top = 70;
        int width = Math.max(left + n * cell + 40, 520);
        int height = top + n * cell + labelWidth + 50;
        Canvas canvas = new Canvas(width, height);
        Graphics2D g = canvas.g;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format(Locale.ROOT, "test split: rows true class, columns predicted; shade = share of "
            + "the row; accuracy %.3f", accuracy()), 10, 40);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, Math.max(9, cell / 3))));
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t < n; t++) {
            long row = 0;
            for (long c : counts[t]) {
                row += c;
            }
            for (int p = 0; p < n; p++) {
                double share = row == 0 ? 0 : counts[t][p] / (double) row;
                float hue = t == p ? 0.33f : 0.0f;
                g.setColor(share == 0 ? Color.WHITE : Color.getHSBColor(hue, (float) (0.15 + 0.75 * share), 0.95f));
                g.fillRect(left + p * cell, top + t * cell, cell, cell);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(left + p * cell, top + t * cell, cell, cell);
                if (n <= MAX_LABELLED && counts[t][p] > 0) {
                    String s = Long.toString(counts[t][p]);
                    g.setColor(Color.BLACK);
                    g.drawString(s, left + p * cell + (cell - fm.stringWidth(s)) / 2, top + t * cell + (cell + fm.getAscent()) / 2 - 2);
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        for (int k = 0; k < n; k++) {
            String s = label(k);
            g.drawString(s, left - 6 - fm.stringWidth(s), top + k * cell + (cell + fm.getAscent()) / 2 - 2);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(s, -(top + n * cell + 6 + fm.stringWidth(s)), left + k * cell + (cell + fm.getAscent()) / 2 - 2);
            rotated.dispose();
        }
        g.drawString("predicted", left + n * cell / 2 - 25, height - 10);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("true", -(top + n * cell / 2 + 10), 16);
        rotated.dispose();
        return canvas.png("confusion matrix");
    }

    private String label(int k) {
        return k + " " + classNames.get(k);
    }
}
