package dev.outbox.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A small line chart rendered with Java2D to PNG: series of points, linear x axis, linear or
 * logarithmic y axis, and labelled vertical markers. Enough for the benchmark's two plots, with no
 * dependency beyond the JDK (headless).
 */
public final class LineChart {

	private static final int WIDTH = 1100;

	private static final int HEIGHT = 650;

	private static final int LEFT = 90;

	private static final int RIGHT = 40;

	private static final int TOP = 60;

	private static final int BOTTOM = 70;

	private final String title;

	private final String xLabel;

	private final String yLabel;

	private final boolean logX;

	private final boolean logY;

	private final List<Series> series = new ArrayList<>();

	private final List<Marker> markers = new ArrayList<>();

	/**
	 * @param title the chart's title
	 * @param xLabel x axis label
	 * @param yLabel y axis label
	 * @param logX whether the x axis is logarithmic (values must be positive)
	 * @param logY whether the y axis is logarithmic (values must be positive)
	 */
	public LineChart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
		this.title = title;
		this.xLabel = xLabel;
		this.yLabel = yLabel;
		this.logX = logX;
		this.logY = logY;
	}

	/**
	 * Adds a series.
	 * @param name legend text
	 * @param color its color
	 * @param xs x values
	 * @param ys y values
	 * @param points whether to draw a dot at each point
	 * @return this chart
	 */
	public LineChart series(String name, Color color, double[] xs, double[] ys, boolean points) {
		this.series.add(new Series(name, color, xs, ys, points));
		return this;
	}

	/**
	 * Adds a vertical marker.
	 * @param x where
	 * @param label its text
	 * @param color its color
	 * @return this chart
	 */
	public LineChart marker(double x, String label, Color color) {
		this.markers.add(new Marker(x, label, color));
		return this;
	}

	/**
	 * Renders the chart.
	 * @param png the file to write
	 * @throws IOException when it cannot be written
	 */
	public void write(Path png) throws IOException {
		System.setProperty("java.awt.headless", "true");
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			draw(g);
		}
		finally {
			g.dispose();
		}
		ImageIO.write(image, "png", png.toFile());
	}

	private void draw(Graphics2D g) {
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, HEIGHT);
		double xMin = Double.MAX_VALUE;
		double xMax = 0;
		double yMin = Double.MAX_VALUE;
		double yMax = 0;
		for (Series s : this.series) {
			for (int i = 0; i < s.xs().length; i++) {
				if (!this.logY || s.ys()[i] > 0) {
					xMin = Math.min(xMin, s.xs()[i]);
					xMax = Math.max(xMax, s.xs()[i]);
					yMin = Math.min(yMin, s.ys()[i]);
					yMax = Math.max(yMax, s.ys()[i]);
				}
			}
		}
		for (Marker marker : this.markers) {
			xMin = Math.min(xMin, marker.x());
			xMax = Math.max(xMax, marker.x());
		}
		double[] xRange = this.logX ? logRange(xMin, xMax) : new double[] { 0, niceCeiling(Math.max(xMax, 1e-9) * 1.05) };
		double[] yRange = this.logY ? logRange(yMin, yMax) : new double[] { 0, niceCeiling(Math.max(yMax, 1e-9) * 1.1) };
		Axis axis = new Axis(xRange[0], xRange[1], yRange[0], yRange[1], this.logX, this.logY);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
		g.setColor(Color.BLACK);
		g.drawString(this.title, LEFT, 35);
		drawGrid(g, axis);
		for (Marker marker : this.markers) {
			int x = axis.px(marker.x());
			g.setColor(marker.color());
			Stroke previous = g.getStroke();
			g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 8f, 6f }, 0f));
			g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
			g.setStroke(previous);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			int width = g.getFontMetrics().stringWidth(marker.label());
			drawRotated(g, marker.label(), x - 5, HEIGHT - BOTTOM - 8 - width);
		}
		for (Series s : this.series) {
			g.setColor(s.color());
			g.setStroke(new BasicStroke(2.5f));
			int previousX = -1;
			int previousY = -1;
			for (int i = 0; i < s.xs().length; i++) {
				if (this.logY && s.ys()[i] <= 0) {
					continue;
				}
				int x = axis.px(s.xs()[i]);
				int y = axis.py(s.ys()[i]);
				if (previousX >= 0) {
					g.drawLine(previousX, previousY, x, y);
				}
				if (s.points()) {
					g.fillOval(x - 5, y - 5, 10, 10);
				}
				previousX = x;
				previousY = y;
			}
		}
		drawLegend(g);
	}

	private void drawGrid(Graphics2D g, Axis axis) {
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		FontMetrics metrics = g.getFontMetrics();
		int bottom = HEIGHT - BOTTOM;
		for (double tick : this.logX ? logTicks(axis.xMin(), axis.xMax()) : ticks(axis.xMin(), axis.xMax())) {
			int x = axis.px(tick);
			g.setColor(new Color(230, 230, 230));
			g.drawLine(x, TOP, x, bottom);
			g.setColor(Color.DARK_GRAY);
			String text = format(tick);
			g.drawString(text, x - metrics.stringWidth(text) / 2, bottom + 18);
		}
		List<Double> yTicks = this.logY ? logTicks(axis.yMin(), axis.yMax()) : ticks(axis.yMin(), axis.yMax());
		for (double tick : yTicks) {
			int y = axis.py(tick);
			g.setColor(new Color(230, 230, 230));
			g.drawLine(LEFT, y, WIDTH - RIGHT, y);
			g.setColor(Color.DARK_GRAY);
			String text = format(tick);
			g.drawString(text, LEFT - 8 - metrics.stringWidth(text), y + 4);
		}
		g.setColor(Color.BLACK);
		g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, bottom - TOP);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
		metrics = g.getFontMetrics();
		g.drawString(this.xLabel, LEFT + (WIDTH - LEFT - RIGHT - metrics.stringWidth(this.xLabel)) / 2, HEIGHT - 25);
		drawRotated(g, this.yLabel, 25, TOP + (bottom - TOP + metrics.stringWidth(this.yLabel)) / 2);
	}

	private void drawLegend(Graphics2D g) {
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		int x = WIDTH - RIGHT - 190;
		int y = TOP + 20;
		g.setColor(Color.WHITE);
		g.fillRect(x - 10, TOP + 4, 190, 20 * this.series.size() + 8);
		g.setColor(Color.LIGHT_GRAY);
		g.drawRect(x - 10, TOP + 4, 190, 20 * this.series.size() + 8);
		for (Series s : this.series) {
			g.setColor(s.color());
			g.fillRect(x, y - 9, 22, 6);
			g.setColor(Color.BLACK);
			g.drawString(s.name(), x + 30, y);
			y += 20;
		}
	}

	private static void drawRotated(Graphics2D g, String text, int x, int y) {
		Graphics2D rotated = (Graphics2D) g.create();
		rotated.translate(x, y);
		rotated.rotate(-Math.PI / 2);
		FontMetrics metrics = rotated.getFontMetrics();
		rotated.drawString(text, -metrics.stringWidth(text), 0);
		rotated.dispose();
	}

	/** Round tick positions between two values, about six of them. */
	static List<Double> ticks(double from, double to) {
		double step = niceStep((to - from) / 6);
		List<Double> ticks = new ArrayList<>();
		for (double tick = Math.ceil(from / step) * step; tick <= to + step * 1e-9; tick += step) {
			ticks.add(tick);
		}
		return ticks;
	}

	private static List<Double> logTicks(double from, double to) {
		List<Double> ticks = new ArrayList<>();
		for (double decade = from; decade <= to * 1.0001; decade *= 10) {
			for (double m : new double[] { 1, 2, 5 }) {
				if (decade * m <= to * 1.0001) {
					ticks.add(decade * m);
				}
			}
		}
		return ticks;
	}

	private static double[] logRange(double min, double max) {
		if (min == Double.MAX_VALUE) {
			return new double[] { 0.1, 10 };
		}
		double low = Math.pow(10, Math.floor(Math.log10(min)));
		double high = Math.pow(10, Math.ceil(Math.log10(Math.max(max, min * 10))));
		return new double[] { low, high };
	}

	static double niceStep(double rough) {
		double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
		double fraction = rough / magnitude;
		double nice = (fraction <= 1) ? 1 : (fraction <= 2) ? 2 : (fraction <= 2.5) ? 2.5 : (fraction <= 5) ? 5 : 10;
		return nice * magnitude;
	}

	private static double niceCeiling(double value) {
		double step = niceStep(value / 6);
		return Math.ceil(value / step) * step;
	}

	static String format(double value) {
		if (value >= 1000 && value % 1000 == 0) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (value >= 10 || value == Math.rint(value)) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, "%.2g", value);
	}

	private record Series(String name, Color color, double[] xs, double[] ys, boolean points) {
	}

	private record Marker(double x, String label, Color color) {
	}

	private record Axis(double xMin, double xMax, double yMin, double yMax, boolean logX, boolean logY) {

		int px(double x) {
			return LEFT + (int) Math.round((WIDTH - LEFT - RIGHT) * fraction(x, this.xMin, this.xMax, this.logX));
		}

		int py(double y) {
			return HEIGHT - BOTTOM - (int) Math.round((HEIGHT - TOP - BOTTOM) * fraction(y, this.yMin, this.yMax, this.logY));
		}

		private static double fraction(double value, double min, double max, boolean log) {
			return log ? (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
					: (value - min) / (max - min);
		}

	}

}
