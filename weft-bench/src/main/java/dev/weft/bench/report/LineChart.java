package dev.weft.bench.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line chart drawn with Java2D and written as PNG: one line with point markers per series, linear axes
 * from zero with round ticks, a legend. Enough for "latency vs load" and "memory vs connections".
 */
public final class LineChart {

    /** One point of a series. */
    public record Point(double x, double y) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 190;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd), new Color(0x7f7f7f),
        new Color(0xff7f0e), new Color(0x17becf)
    };

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart series(String name, List<Point> points) {
        if (!points.isEmpty()) {
            series.put(name, List.copyOf(points));
        }
        return this;
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }

    public void writePng(Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double xMax = niceCeiling(series.values().stream().flatMap(List::stream).mapToDouble(Point::x).max().orElse(1));
        double yMax = niceCeiling(series.values().stream().flatMap(List::stream).mapToDouble(Point::y).max().orElse(1));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int x = LEFT + plotW * i / 5;
            int y = TOP + plotH - plotH * i / 5;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String xTick = format(xMax * i / 5);
            g.drawString(xTick, x - g.getFontMetrics().stringWidth(xTick) / 2, TOP + plotH + 18);
            String yTick = format(yMax * i / 5);
            g.drawString(yTick, LEFT - 8 - g.getFontMetrics().stringWidth(yTick), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 22);
        rotated.dispose();

        int index = 0;
        for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
            Color color = PALETTE[index % PALETTE.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            int[] xs = new int[entry.getValue().size()];
            int[] ys = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                Point p = entry.getValue().get(i);
                xs[i] = LEFT + (int) Math.round(plotW * p.x() / xMax);
                ys[i] = TOP + plotH - (int) Math.round(plotH * p.y() / yMax);
                g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
            }
            g.drawPolyline(xs, ys, xs.length);
            int legendY = TOP + 10 + index * 22;
            g.fillRect(WIDTH - RIGHT + 20, legendY - 8, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), WIDTH - RIGHT + 42, legendY + 2);
            index++;
        }
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0 || Double.isNaN(value)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + "M";
        }
        if (v >= 10_000) {
            return trim(v / 1_000) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.1f", v);
    }
}
