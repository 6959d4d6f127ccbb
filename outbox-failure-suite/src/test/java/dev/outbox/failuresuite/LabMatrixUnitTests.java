package dev.outbox.failuresuite;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The canonical matrix names only cells the lab runs, our pipeline first, and {@code --matrix}
 * takes no cell's options.
 */
class LabMatrixUnitTests {

	@Test
	void everyCellOfTheMatrixIsOneTheLabRuns() {
		for (List<Cell> cells : LabMatrix.designs().values()) {
			for (Cell cell : cells) {
				assertThatNoException().as(cell.toString())
					.isThrownBy(() -> RunnableCells.scenario(cell, SuiteSize.QUICK));
			}
		}
	}

	@Test
	void ourPipelineIsTheFirstRowAndEveryOtherRowDiffersFromIt() {
		assertThat(LabMatrix.designs().keySet()).first().isEqualTo(LabMatrix.OURS);
		assertThat(LabMatrix.designs().get(LabMatrix.OURS)).allMatch((cell) -> cell.pipeline().equals(Pipeline.OURS));
		LabMatrix.designs().forEach((design, cells) -> {
			if (!design.equals(LabMatrix.OURS)) {
				assertThat(cells).as(design).noneMatch((cell) -> cell.pipeline().equals(Pipeline.OURS));
			}
		});
	}

	@Test
	void oneFaultOnTwoWorkloadsMakesTwoColumns() {
		assertThat(LabMatrix.column(Cell.of("microservice-events", Map.of(), "relay-kill-9"))).isEqualTo("relay-kill-9");
		assertThat(LabMatrix.column(Cell.of("audit-log", Map.of(), "relay-kill-9"))).isEqualTo("audit-log: relay-kill-9");
		LabMatrix.designs().forEach((design, cells) -> assertThat(cells).as(design)
			.extracting(LabMatrix::column)
			.doesNotHaveDuplicates());
	}

	@Test
	void theMatrixRunsAtTheQuickSizeAndRefusesACellsOptions() {
		LabOptions options = LabOptions.parse(List.of("--matrix", "--results", "/tmp/lab-matrix"));
		assertThat(options.cell()).isNull();
		assertThat(options.size()).isEqualTo(SuiteSize.QUICK);

		assertThatIllegalArgumentException().isThrownBy(() -> LabOptions.parse(List.of("--matrix", "--fault", "relay-kill-9")))
			.withMessageContaining("--matrix runs the canonical set")
			.withMessageContaining("leave out --fault");
	}

}
