package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WritePathLinesUnitTests {

	@Test
	void readsResultsWrittenCountsAndTheSampleAndIgnoresEverythingElse() {
		WritePathLines lines = new WritePathLines();
		lines.accept("2026-12-12 INFO Started WritePathApplication in 3.2 seconds");
		lines.accept("RESULT {\"mode\": \"none\", \"events\": 0, \"tps\": 1500.5, \"tpsRounds\": \"[1490, 1510]\", "
				+ "\"transactions\": 6000, \"walBytesPerTx\": 1200.0, \"ofNone\": 1.0000, \"jvmCpuUsPerTx\": 410.0, "
				+ "\"pgCpuUsPerTx\": 330.0}");
		lines.accept("RESULT {\"mode\": \"message\", \"events\": 10, \"tps\": 900.0, \"tpsRounds\": \"[890, 910]\", "
				+ "\"transactions\": 3600, \"walBytesPerTx\": 7000.0, \"ofNone\": 0.6000, \"jvmCpuUsPerTx\": 520.5, "
				+ "\"pgCpuUsPerTx\": 401.0}");
		lines.accept("WRITTEN {\"mode\": \"retain\", \"events\": 123456}");
		lines.accept("SAMPLE {\"payload\": {\"orderId\": \"4f\", \"total\": 37.5}, \"headers\": null}");
		assertThat(lines.results()).hasSize(2);
		Runs.WritePath message = lines.results().get(1);
		assertThat(message.variant()).isEqualTo(new WritePathVariant(WriteMode.MESSAGE, 10));
		assertThat(message.tps()).isEqualTo(900.0);
		assertThat(message.tpsRounds()).isEqualTo("[890, 910]");
		assertThat(message.walBytesPerTransaction()).isEqualTo(7000.0);
		assertThat(message.ofNone()).isEqualTo(0.6);
		assertThat(message.jvmCpuPerTransaction()).isEqualTo(520.5);
		assertThat(message.postgresCpuPerTransaction()).isEqualTo(401.0);
		assertThat(lines.results().get(0).variant()).isEqualTo(WritePathVariant.NONE);
		assertThat(lines.written()).containsEntry(WriteMode.RETAIN, 123456L);
		assertThat(lines.sample()).isEqualTo(new WritePathLines.Sample("{\"orderId\":\"4f\",\"total\":37.5}", null));
	}

	@Test
	void anUnknownModeNamesTheValuesThatExist() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WritePathLines().accept("WRITTEN {\"mode\": \"rows\", \"events\": 1}"))
			.withMessageContaining("no write mode 'rows'; use table, message or retain");
	}

}
