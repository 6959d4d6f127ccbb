package dev.outbox.bench.report;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LineChartUnitTests {

	@Test
	void ticksAreRound() {
		assertThat(LineChart.ticks(0, 100)).containsExactly(0.0, 20.0, 40.0, 60.0, 80.0, 100.0);
		assertThat(LineChart.niceStep(0.7)).isEqualTo(1.0);
		assertThat(LineChart.niceStep(2300)).isEqualTo(2500.0);
		assertThat(LineChart.niceStep(3100)).isEqualTo(5000.0);
	}

	@Test
	void numbersAreShortOnTheAxes() {
		assertThat(LineChart.format(20_000)).isEqualTo("20,000");
		assertThat(LineChart.format(5)).isEqualTo("5");
		assertThat(LineChart.format(0.2)).isEqualTo("0.20");
	}

	@Test
	void rendersAPngWithLogAxesAndMarkers(@TempDir Path directory) throws Exception {
		Path png = directory.resolve("chart.png");
		new LineChart("title", "x", "y", true, true)
			.series("p50", Color.BLUE, new double[] { 2_000, 10_000, 30_000 }, new double[] { 2.1, 3.5, 40 }, true)
			.marker(60_000, "drain", Color.GREEN)
			.write(png);
		byte[] bytes = Files.readAllBytes(png);
		assertThat(bytes).hasSizeGreaterThan(1000);
		assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
	}

}
