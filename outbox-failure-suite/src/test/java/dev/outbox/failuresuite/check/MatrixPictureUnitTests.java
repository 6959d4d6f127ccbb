package dev.outbox.failuresuite.check;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.outbox.failuresuite.lab.DecisionTable;
import dev.outbox.failuresuite.lab.Finding;
import dev.outbox.failuresuite.lab.Outcome;
import dev.outbox.failuresuite.lab.Rule;
import dev.outbox.failuresuite.lab.Slot;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matrix picture: designs as rows, faults as columns, red where an outcome broke and green where
 * every one was absorbed, with the slot the verifier traced it to; grey where no such cell ran.
 */
class MatrixPictureUnitTests {

	@Test
	void eachCellIsRedWhereSomethingBrokeGreenWhereItWasAbsorbedAndGreyWhereNothingRan(@TempDir Path dir)
			throws Exception {
		Map<String, Map<String, MatrixPicture.Mark>> marks = new LinkedHashMap<>();
		marks.put("ours", Map.of("relay-kill-9", new MatrixPicture.Mark(false, "checkpoint")));
		marks.put("capture dual-write", Map.of("kill-between-commit-and-send", new MatrixPicture.Mark(true, "capture")));
		Path file = dir.resolve("matrix.png");

		MatrixPicture.write(marks, file);

		BufferedImage image = ImageIO.read(file.toFile());
		assertThat(image).isNotNull();
		assertThat(image.getWidth()).isEqualTo(MatrixPicture.ROW_HEADER + 2 * MatrixPicture.CELL_WIDTH + 10);
		assertThat(colourNearTheCorner(image, 0, 0)).isEqualTo(MatrixPicture.GREEN.getRGB());
		assertThat(colourNearTheCorner(image, 1, 1)).isEqualTo(MatrixPicture.RED.getRGB());
		assertThat(colourNearTheCorner(image, 0, 1)).isEqualTo(MatrixPicture.NONE.getRGB());
		assertThat(colourNearTheCorner(image, 1, 0)).isEqualTo(MatrixPicture.NONE.getRGB());
	}

	@Test
	void aCellsMarkNamesTheSlotsOfItsBrokenOutcomesElseThoseThatAbsorbedTheFault() {
		Finding lost = new Finding(Outcome.LOST, "3 committed events never delivered", rule(Outcome.LOST, Slot.CAPTURE));
		Finding nothingLost = new Finding(Outcome.NOTHING_LOST, "every committed event delivered",
				rule(Outcome.NOTHING_LOST, Slot.CHECKPOINT));

		assertThat(MatrixPicture.Mark.of(result(List.of(lost), true, List.of())))
			.isEqualTo(new MatrixPicture.Mark(true, "capture"));
		assertThat(MatrixPicture.Mark.of(result(List.of(nothingLost), false, List.of())))
			.isEqualTo(new MatrixPicture.Mark(false, "checkpoint"));
		Finding appliedOnce = new Finding(Outcome.REDELIVERED_APPLIED_ONCE, "3 redeliveries skipped",
				rule(Outcome.REDELIVERED_APPLIED_ONCE, Slot.SINK));
		assertThat(MatrixPicture.Mark.of(result(List.of(appliedOnce, nothingLost, appliedOnce), false, List.of())))
			.isEqualTo(new MatrixPicture.Mark(false, "sink + checkpoint"));
		assertThat(MatrixPicture.Mark.of(result(List.of(new Finding(Outcome.LOST, "1 committed event", null)), false,
				List.of("1 committed events missing"))))
			.isEqualTo(new MatrixPicture.Mark(true, "unexplained"));
		assertThat(MatrixPicture.Mark.of(result(List.of(nothingLost), false, List.of("fewer than 10 relay kills: 3"))))
			.isEqualTo(new MatrixPicture.Mark(true, "unexplained"));
	}

	private static int colourNearTheCorner(BufferedImage image, int row, int column) {
		return image.getRGB(MatrixPicture.ROW_HEADER + column * MatrixPicture.CELL_WIDTH + 6,
				MatrixPicture.COLUMN_HEADER + row * MatrixPicture.CELL_HEIGHT + 6);
	}

	private static Rule rule(Outcome outcome, Slot slot) {
		return DecisionTable.RULES.stream()
			.filter((rule) -> rule.outcome() == outcome && rule.slot() == slot)
			.findFirst()
			.orElseThrow();
	}

	private static ScenarioResult result(List<Finding> findings, boolean lossExpected, List<String> violations) {
		Figures figures = new Figures(10, 10, 0, 0, 0, 0, 0, 0, 0, "", "", "");
		return new ScenarioResult("cell", "fault", 1, figures, 0, List.of(), findings, lossExpected, violations,
				List.of(), Duration.ZERO);
	}

}
