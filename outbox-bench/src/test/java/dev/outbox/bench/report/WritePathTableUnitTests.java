package dev.outbox.bench.report;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.bench.TableActivity;
import dev.outbox.bench.WriteMode;

import static dev.outbox.bench.report.ModeTargetsUnitTests.jpa;
import static dev.outbox.bench.report.ModeTargetsUnitTests.sql;
import static org.assertj.core.api.Assertions.assertThat;

class WritePathTableUnitTests {

	@Test
	void eachVariantShowsItsRatioBesidePgbenchsTheGapInPointsAndWalPerEventBeyondNoEvent() {
		String text = WritePathTable.text(List.of(jpa(null, 0, 1), jpa(WriteMode.MESSAGE, 10, 0.52)),
				List.of(sql(WriteMode.MESSAGE, 10, 0.57)), Map.of(), Map.of());
		// no event: 2000 WAL bytes/tx; message, 10 events: 2000 too in this fixture, so 0 bytes per
		// event; CPU per transaction: JVM 300 us, PostgreSQL 200 us, pgbench 20 us
		assertThat(text).containsPattern("no event +1,000 +100 % +- +- +2,000 +- +300 +200 +\\[\\]")
			.containsPattern("message, 10 events +520 +52 % +57 % +-5 +2,000 +0 +300 +200 +\\[\\]")
			.containsPattern("message, 10 events +2,850 +57 % +20 +200 +\\[\\]");
	}

	@Test
	void tablesAreScaledTo100kEventsAndMessageModeHasNoRow() {
		String text = WritePathTable.text(List.of(jpa(null, 0, 1)), List.of(),
				Map.of(WriteMode.TABLE, new TableActivity(200_000, 200_000, 3_000, 8, 1_048_576),
						WriteMode.RETAIN, new TableActivity(50_000, 0, 0, 0, 20 * 1_048_576)),
				Map.of(WriteMode.TABLE, 200_000L, WriteMode.MESSAGE, 70_000L, WriteMode.RETAIN, 50_000L));
		assertThat(text).containsPattern("table +200,000 +100,000 +4.0 +3,000 +1.0")
			.containsPattern("message +70,000 +0 \\(no row\\) +0 +- +-")
			.containsPattern("retain +50,000 +0 +0.0 +0 +20.0")
			.contains("retain's purge did not run");
	}

}
