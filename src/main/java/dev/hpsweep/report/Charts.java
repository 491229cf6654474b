package dev.hpsweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts in one house style (white, readable fonts, no markers on long series), rendered to PNG. */
final class Charts {
    static final int WIDTH = 800;
    static final int HEIGHT = 520;
    /** Colours that stay apart on white and for common colour blindness (Okabe-Ito, then Tableau). */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(140, 86, 75),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(148, 103, 189), new Color(214, 39, 40)};

    private Charts() {
    }

    static XYChart line(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setSeriesColors(PALETTE);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarkerSize(6);
        s.setYAxisDecimalPattern("0.###");
        return chart;
    }

    /**
     * Adds a series, leaving out points whose y is not finite (or not positive on a log axis, which
     * XChart cannot draw). Returns false, adding nothing, when no point is left.
     */
    static boolean add(XYChart chart, String name, double[] x, double[] y) {
        boolean log = chart.getStyler().isYAxisLogarithmic();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!log || y[i] > 0)) {
                points.add(new double[] {x[i], y[i]});
            }
        }
        if (points.isEmpty()) {
            return false;
        }
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries series = chart.addSeries(unique(chart, name), xs, ys);
        series.setLineWidth(xs.length > 2000 ? 0.6f : 1.8f);
        if (xs.length > 60) {
            series.setMarker(SeriesMarkers.NONE);
        }
        return true;
    }

    /** The smallest positive and the largest finite value of the series: {lo, hi}; {+inf, 0} if none is positive. */
    static double[] positiveRange(Iterable<double[]> series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] ys : series) {
            for (double v : ys) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    /**
     * Puts the y axis on a log scale when the values span more than {@code ratio}, so one diverged or
     * untrained curve (a loss of 19 next to 0.3) does not flatten the others. Returns whether it did.
     */
    static boolean logYIfSpread(XYChart chart, Iterable<double[]> series, double ratio) {
        double[] range = positiveRange(series);
        boolean log = range[1] / range[0] > ratio;
        if (log) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
            chart.setYAxisTitle(chart.getYAxisTitle() + " (log scale)");
        }
        return log;
    }

    /**
     * Ticks at round numbers on the x axis. XChart puts x ticks on the data's own x values when they
     * are equally spaced: right for epochs 1..50, wrong for 48,209 batches (1, 3,215, 6,429, ...,
     * labels running into each other). A hidden point at x = 0.5 with no y breaks the spacing
     * (batches and their bins sit at whole or half numbers from 1 up, so 0.5 is never one step
     * before the first); it draws nothing and is left out of the legend.
     */
    static void roundXTicks(XYChart chart) {
        XYSeries anchor = chart.addSeries(unique(chart, "x axis anchor"), new double[] {0.5}, new double[] {Double.NaN});
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
    }

    /** Thin dashed line for the less important series (e.g. train next to validation). */
    static void dashed(XYChart chart, String name) {
        XYSeries s = chart.getSeriesMap().get(name);
        if (s != null) {
            s.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        }
    }

    private static String unique(XYChart chart, String name) {
        String candidate = name;
        for (int n = 2; chart.getSeriesMap().containsKey(candidate); n++) {
            candidate = name + " (" + n + ")";
        }
        return candidate;
    }

    static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + chart.getTitle(), e);
        }
    }

    /** Charts side by side in one PNG. */
    static byte[] png(List<XYChart> charts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render charts", e);
        }
        return out.toByteArray();
    }

    /** Means of consecutive bins, so a series of n points becomes at most {@code max}; x is each bin's centre. */
    static double[][] binMeans(double[] y, int max) {
        int k = Math.max(1, (int) Math.ceil(y.length / (double) max));
        int bins = (y.length + k - 1) / k;
        double[] xs = new double[bins];
        double[] ys = new double[bins];
        for (int b = 0; b < bins; b++) {
            int from = b * k;
            int to = Math.min(y.length, from + k);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += y[i];
            }
            ys[b] = sum / (to - from);
            xs[b] = (from + to + 1) / 2.0;
        }
        return new double[][] {xs, ys};
    }
}
