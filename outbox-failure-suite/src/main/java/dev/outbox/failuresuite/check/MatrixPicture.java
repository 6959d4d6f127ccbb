package dev.outbox.failuresuite.check;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

/**
 * The lab matrix as a picture (PNG): designs as rows, faults as columns, each cell run green
 * (every outcome absorbed) or red (something broke), with the slots the verifier traced its red
 * outcomes to, or for a green cell the slots that absorbed the fault; grey where the matrix runs no
 * such cell. Drawn with the JDK's own Java 2D, headless.
 */
public final class MatrixPicture {

	static final Color GREEN = new Color(0x2e, 0x9e, 0x44);

	static final Color RED = new Color(0xd6, 0x2d, 0x20);

	static final Color NONE = new Color(0xee, 0xee, 0xee);

	static final int CELL_WIDTH = 190;

	static final int CELL_HEIGHT = 54;

	static final int ROW_HEADER = 220;

	static final int COLUMN_HEADER = 70;

	private MatrixPicture() {
	}

	/**
	 * One cell's mark.
	 * @param broken whether an outcome broke
	 * @param slot the slot written in the cell
	 */
	public record Mark(boolean broken, String slot) {

		/**
		 * @param result a cell's result
		 * @return its mark: red with the slots of its broken outcomes, else green with the slots that
		 * absorbed the fault, in the order the verifier found them ({@code sink + checkpoint});
		 * {@code unexplained} where no rule traced an outcome
		 */
		public static Mark of(ScenarioResult result) {
			boolean broken = result.findings().stream().anyMatch((finding) -> finding.outcome().broken())
					|| (!result.lossExpected() && !result.passed());
			String slots = result.findings()
				.stream()
				.filter((finding) -> finding.outcome().broken() == broken)
				.map((finding) -> (finding.rule() != null) ? finding.rule().slot().option() : "unexplained")
				.distinct()
				.collect(Collectors.joining(" + "));
			return new Mark(broken, slots.isEmpty() ? (broken ? "unexplained" : "-") : slots);
		}

	}

	/**
	 * Draws the matrix.
	 * @param marks per design (row), per fault (column), the cell's mark; rows in the map's order,
	 * columns in order of first appearance
	 * @return the picture
	 */
	public static BufferedImage draw(Map<String, Map<String, Mark>> marks) {
		Set<String> columnSet = new LinkedHashSet<>();
		marks.values().forEach((row) -> columnSet.addAll(row.keySet()));
		List<String> columns = new ArrayList<>(columnSet);
		int width = ROW_HEADER + columns.size() * CELL_WIDTH + 10;
		int height = COLUMN_HEADER + marks.size() * CELL_HEIGHT + 10;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, width, height);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
			g.setColor(Color.BLACK);
			for (int c = 0; c < columns.size(); c++) {
				centred(g, wrap(columns.get(c), "(?<=-)"), ROW_HEADER + c * CELL_WIDTH, 10, CELL_WIDTH, COLUMN_HEADER - 10);
			}
			int r = 0;
			for (Map.Entry<String, Map<String, Mark>> row : marks.entrySet()) {
				int y = COLUMN_HEADER + r * CELL_HEIGHT;
				g.setColor(Color.BLACK);
				g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
				g.drawString(row.getKey(), 10, y + CELL_HEIGHT / 2 + 5);
				for (int c = 0; c < columns.size(); c++) {
					Mark mark = row.getValue().get(columns.get(c));
					int x = ROW_HEADER + c * CELL_WIDTH;
					g.setColor((mark == null) ? NONE : mark.broken() ? RED : GREEN);
					g.fillRect(x, y, CELL_WIDTH, CELL_HEIGHT);
					g.setColor(Color.WHITE);
					g.setStroke(new BasicStroke(2));
					g.drawRect(x, y, CELL_WIDTH, CELL_HEIGHT);
					if (mark != null) {
						g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
						List<String> lines = new ArrayList<>(List.of(mark.broken() ? "broken" : "absorbed"));
						lines.addAll(wrap(mark.slot(), "(?<=\\+ )"));
						centred(g, lines, x, y, CELL_WIDTH, CELL_HEIGHT);
					}
				}
				r++;
			}
		}
		finally {
			g.dispose();
		}
		return image;
	}

	/**
	 * Draws the matrix into a PNG file.
	 * @param marks the marks, as for {@link #draw}
	 * @param file where it goes
	 */
	public static void write(Map<String, Map<String, Mark>> marks, Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			ImageIO.write(draw(marks), "png", file.toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the matrix picture " + file, ex);
		}
	}

	/**
	 * @param text a fault's name, or the slots of a cell
	 * @param breaks where a line may break (after a hyphen, after a {@code +})
	 * @return its lines, each of at most 22 characters unless one part is longer
	 */
	private static List<String> wrap(String text, String breaks) {
		List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String part : text.split(breaks)) {
			if (line.length() + part.length() > 22 && line.length() > 0) {
				lines.add(line.toString());
				line.setLength(0);
			}
			line.append(part);
		}
		lines.add(line.toString());
		return lines.stream().map(String::strip).toList();
	}

	private static void centred(Graphics2D g, List<String> lines, int x, int y, int width, int height) {
		FontMetrics metrics = g.getFontMetrics();
		int total = lines.size() * metrics.getHeight();
		int top = y + (height - total) / 2 + metrics.getAscent();
		for (int i = 0; i < lines.size(); i++) {
			String text = lines.get(i);
			g.drawString(text, x + (width - metrics.stringWidth(text)) / 2, top + i * metrics.getHeight());
		}
	}

}
