package org.borderwatch.bench.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/**
 * The report's two plots, drawn with java.awt into PNG files (headless: no display, no native or Node step): a
 * cumulative distribution of latencies (linear ms) and throughput over time (events/s on a log scale, since the raw
 * producer and single-event ingest lie two orders of magnitude apart).
 */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Cumulative share of values at or below x, per series of sorted values. */
    static void distribution(final Path file, final String title, final Map<String, double[]> series)
            throws IOException {
        final Map<String, double[]> ordered = new TreeMap<>(series);
        double max = 1;
        for (final double[] values : ordered.values()) {
            if (values.length > 0 && Double.isFinite(values[values.length - 1])) {
                max = Math.max(max, values[values.length - 1]);
            }
        }
        final double xMax = niceCeiling(max);
        final Canvas canvas = new Canvas(title, "ms after the ingest API's 202", "share received");
        canvas.xTicks(0, xMax);
        canvas.yTicks(List.of(0.0, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0), value -> String.format(Locale.ROOT, "%.2f",
                value), value -> value);
        int colour = 0;
        for (final Map.Entry<String, double[]> entry : ordered.entrySet()) {
            final double[] values = entry.getValue();
            final List<double[]> points = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                points.add(new double[] {values[i] / xMax, (i + 1.0) / values.length});
            }
            canvas.line(points, PALETTE[colour % PALETTE.length], entry.getKey(), colour++);
        }
        canvas.save(file);
    }

    /** Events/s per second of each series, against seconds from its start, on a log scale. */
    static void lines(final Path file, final String title, final Map<String, List<Double>> series)
            throws IOException {
        int longest = 1;
        double max = 10;
        for (final List<Double> values : series.values()) {
            longest = Math.max(longest, values.size());
            for (final double value : values) {
                max = Math.max(max, value);
            }
        }
        final double decades = Math.ceil(Math.log10(max));
        final double low = Math.max(0, decades - 4);
        final Canvas canvas = new Canvas(title, "seconds from the start of each measurement", "events/s (log)");
        canvas.xTicks(0, niceCeiling(longest));
        final List<Double> ticks = new ArrayList<>();
        for (double d = low; d <= decades; d++) {
            ticks.add((d - low) / (decades - low));
        }
        canvas.yTicks(ticks, position -> String.format(Locale.ROOT, "%,.0f", Math.pow(10, low + position
                * (decades - low))), position -> position);
        final double xMax = niceCeiling(longest);
        int colour = 0;
        for (final Map.Entry<String, List<Double>> entry : series.entrySet()) {
            final List<double[]> points = new ArrayList<>();
            final List<Double> values = entry.getValue();
            for (int i = 0; i < values.size(); i++) {
                final double value = Math.max(Math.pow(10, low), values.get(i));
                points.add(new double[] {(i + 1) / xMax, (Math.log10(value) - low) / (decades - low)});
            }
            canvas.line(points, PALETTE[colour % PALETTE.length], entry.getKey(), colour++);
        }
        canvas.save(file);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(final double value) {
        final double power = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-9))));
        for (final double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** A plot area with axes; points are given in [0, 1] × [0, 1] of it. */
    private static final class Canvas {

        private final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        private final Graphics2D g = image.createGraphics();
        private final int plotWidth = WIDTH - LEFT - RIGHT;
        private final int plotHeight = HEIGHT - TOP - BOTTOM;

        Canvas(final String title, final String xLabel, final String yLabel) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(xLabel, LEFT + plotWidth / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 15);
            g.drawString(yLabel, 10, TOP - 10);
            g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        }

        void xTicks(final double from, final double to) {
            for (int i = 0; i <= 10; i++) {
                final int x = LEFT + plotWidth * i / 10;
                final double value = from + (to - from) * i / 10;
                grid(x, TOP, x, TOP + plotHeight);
                final String label = String.format(Locale.ROOT, value >= 10 ? "%,.0f" : "%.1f", value);
                g.setColor(Color.BLACK);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 18);
            }
        }

        void yTicks(final List<Double> positions, final java.util.function.DoubleFunction<String> label,
                    final java.util.function.DoubleUnaryOperator position) {
            for (final double value : positions) {
                final int y = TOP + plotHeight - (int) Math.round(position.applyAsDouble(value) * plotHeight);
                grid(LEFT, y, LEFT + plotWidth, y);
                final String text = label.apply(value);
                g.setColor(Color.BLACK);
                g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), y + 4);
            }
        }

        private void grid(final int x1, final int y1, final int x2, final int y2) {
            g.setColor(new Color(0xe0e0e0));
            g.setStroke(new BasicStroke(1));
            g.drawLine(x1, y1, x2, y2);
        }

        void line(final List<double[]> points, final Color colour, final String name, final int index) {
            g.setColor(colour);
            g.setStroke(new BasicStroke(2));
            int lastX = -1;
            int lastY = -1;
            for (final double[] point : points) {
                final int x = LEFT + (int) Math.round(Math.min(1, point[0]) * plotWidth);
                final int y = TOP + plotHeight - (int) Math.round(Math.min(1, Math.max(0, point[1])) * plotHeight);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, x, y);
                } else if (points.size() == 1) {
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                lastX = x;
                lastY = y;
            }
            final int legendY = TOP + 18 + 18 * index;
            g.fillRect(LEFT + plotWidth - 260, legendY - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(name, LEFT + plotWidth - 236, legendY - 3);
        }

        void save(final Path file) throws IOException {
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
        }
    }
}
