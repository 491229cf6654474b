package dev.hpsweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;
import java.util.Locale;

/**
 * A model's decision regions on the map: the class it predicts at every point of a
 * longitude/latitude grid, one colour per class, with the test points drawn on top in the colour
 * of their true class (a dot whose colour differs from the region under it is a mistake). Drawn
 * with Java2D: XChart has no categorical heat map with this many classes.
 *
 * @param title      the image's title
 * @param longitudes the grid's column centres, ascending
 * @param latitudes  the grid's row centres, ascending
 * @param predicted  {@code predicted[row][column]}: class of (longitudes[column], latitudes[row])
 * @param pointLon   test points' longitudes
 * @param pointLat   test points' latitudes
 * @param pointLabel test points' true classes
 * @param classNames names indexed by class
 */
public record PredictionMap(String title, double[] longitudes, double[] latitudes, int[][] predicted,
                            float[] pointLon, float[] pointLat, int[] pointLabel, List<String> classNames) {

    private static final int PLOT_W = 900;
    private static final int PLOT_H = 700;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int LEGEND_W = 150;

    /** A regular grid over the bounding box of the points, {@code margin} degrees wider on each side. */
    public static double[][] grid(float[] lon, float[] lat, int columns, int rows, double margin) {
        double minLon = Double.MAX_VALUE, maxLon = -Double.MAX_VALUE, minLat = Double.MAX_VALUE, maxLat = -Double.MAX_VALUE;
        for (int i = 0; i < lon.length; i++) {
            minLon = Math.min(minLon, lon[i]);
            maxLon = Math.max(maxLon, lon[i]);
            minLat = Math.min(minLat, lat[i]);
            maxLat = Math.max(maxLat, lat[i]);
        }
        return new double[][] {centres(minLon - margin, maxLon + margin, columns),
            centres(minLat - margin, maxLat + margin, rows)};
    }

    private static double[] centres(double from, double to, int n) {
        double[] c = new double[n];
        double step = (to - from) / n;
        for (int i = 0; i < n; i++) {
            c[i] = from + step * (i + 0.5);
        }
        return c;
    }

    /** Colour of class {@code k}: hues spread by the golden angle, alternating in lightness. */
    static Color classColour(int k, boolean region) {
        float hue = (float) ((k * 0.618033988749895) % 1.0);
        float saturation = region ? 0.35f : (k % 2 == 0 ? 0.9f : 0.75f);
        float brightness = region ? (k % 3 == 0 ? 0.98f : k % 3 == 1 ? 0.9f : 0.82f) : (k % 3 == 0 ? 0.75f : 0.55f);
        return Color.getHSBColor(hue, saturation, brightness);
    }

    public byte[] png() {
        int width = LEFT + PLOT_W + 20 + LEGEND_W;
        int height = TOP + PLOT_H + BOTTOM;
        Canvas canvas = new Canvas(width, height);
        Graphics2D g = canvas.g;

        double lonStep = longitudes.length > 1 ? longitudes[1] - longitudes[0] : 1;
        double latStep = latitudes.length > 1 ? latitudes[1] - latitudes[0] : 1;
        double lon0 = longitudes[0] - lonStep / 2, lon1 = longitudes[longitudes.length - 1] + lonStep / 2;
        double lat0 = latitudes[0] - latStep / 2, lat1 = latitudes[latitudes.length - 1] + latStep / 2;
        java.util.function.DoubleUnaryOperator px = lon -> LEFT + (lon - lon0) / (lon1 - lon0) * PLOT_W;
        java.util.function.DoubleUnaryOperator py = lat -> TOP + (lat1 - lat) / (lat1 - lat0) * PLOT_H;

        for (int r = 0; r < latitudes.length; r++) {
            for (int c = 0; c < longitudes.length; c++) {
                g.setColor(classColour(predicted[r][c], true));
                int x0 = (int) Math.floor(px.applyAsDouble(longitudes[c] - lonStep / 2));
                int x1 = (int) Math.ceil(px.applyAsDouble(longitudes[c] + lonStep / 2));
                int y0 = (int) Math.floor(py.applyAsDouble(latitudes[r] + latStep / 2));
                int y1 = (int) Math.ceil(py.applyAsDouble(latitudes[r] - latStep / 2));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
            }
        }
        for (int i = 0; i < pointLon.length; i++) {
            g.setColor(classColour(pointLabel[i], false));
            double x = px.applyAsDouble(pointLon[i]);
            double y = py.applyAsDouble(pointLat[i]);
            g.fillOval((int) Math.round(x - 1.5), (int) Math.round(y - 1.5), 3, 3);
        }

        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, PLOT_W, PLOT_H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int lon = (int) Math.ceil(lon0 / 5) * 5; lon <= lon1; lon += 5) {
            int x = (int) px.applyAsDouble(lon);
            g.drawLine(x, TOP + PLOT_H, x, TOP + PLOT_H + 5);
            String s = Integer.toString(lon);
            g.drawString(s, x - fm.stringWidth(s) / 2, TOP + PLOT_H + 18);
        }
        for (int lat = (int) Math.ceil(lat0 / 5) * 5; lat <= lat1; lat += 5) {
            int y = (int) py.applyAsDouble(lat);
            g.drawLine(LEFT - 5, y, LEFT, y);
            String s = Integer.toString(lat);
            g.drawString(s, LEFT - 8 - fm.stringWidth(s), y + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        fm = g.getFontMetrics();
        String xTitle = "longitude (degrees east)";
        g.drawString(xTitle, LEFT + (PLOT_W - fm.stringWidth(xTitle)) / 2, TOP + PLOT_H + 42);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        String yTitle = "latitude (degrees north)";
        rotated.drawString(yTitle, -(TOP + (PLOT_H + fm.stringWidth(yTitle)) / 2), 22);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, TOP - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("regions: predicted class; dots: test points in the colour of their true class", LEFT, TOP - 4);

        int lx = LEFT + PLOT_W + 20;
        int rowH = Math.max(12, Math.min(20, PLOT_H / Math.max(1, classNames.size())));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, rowH - 2)));
        for (int k = 0; k < classNames.size(); k++) {
            int y = TOP + k * rowH;
            g.setColor(classColour(k, true));
            g.fillRect(lx, y, 14, rowH - 3);
            g.setColor(classColour(k, false));
            g.fillOval(lx + 4, y + (rowH - 3) / 2 - 2, 5, 5);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(lx, y, 14, rowH - 3);
            g.drawString(String.format(Locale.ROOT, "%d %s", k, classNames.get(k)), lx + 20, y + rowH - 5);
        }
        return canvas.png("prediction map");
    }
}
