package dev.outbox.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResourceSamplerUnitTests {

	@Test
	void jstatGcLineInMegabytes() {
		String[] header = "S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU YGC YGCT FGC FGCT CGC CGCT GCT".split(" ");
		String[] line = "0.0 2048.0 0.0 1024.0 20480.0 10240.0 40960.0 20480.0 60000.0 59000.0 7000.0 6500.0 12 0.120 1 0.300 4 0.010 0.430"
			.split(" ");
		double[] gc = ResourceSampler.parseGc(header, line);
		assertThat(gc[0]).isEqualTo((1024 + 10240 + 20480) / 1024.0);
		assertThat(gc[1]).isEqualTo(20.0);
		assertThat(gc[2]).isEqualTo((2048 + 20480 + 40960) / 1024.0);
		assertThat(gc[3]).isEqualTo(12);
		assertThat(gc[4]).isEqualTo(1);
		assertThat(gc[5]).isEqualTo(0.43);
		assertThat(gc[6]).isEqualTo(4);
	}

	@Test
	void cpuIsInterpolatedBetweenSamples() {
		List<ResourceSampler.Sample> samples = List.of(sample(1_000, 2.0), sample(2_000, 3.0), sample(3_000, 5.0));
		assertThat(ResourceSampler.cpuAt(samples, 1_500)).isCloseTo(2.5, within(1e-9));
		assertThat(ResourceSampler.cpuAt(samples, 2_750)).isCloseTo(4.5, within(1e-9));
		assertThat(ResourceSampler.cpuAt(samples, 500)).isEqualTo(2.0);
		assertThat(ResourceSampler.cpuAt(samples, 9_000)).isEqualTo(5.0);
		assertThat(ResourceSampler.cpuAt(List.of(), 9_000)).isEqualTo(-1);
	}

	private static ResourceSampler.Sample sample(long nanos, double cpu) {
		return new ResourceSampler.Sample(nanos / 1e9, nanos, 0, 0, 0, 0, cpu, 0, 0, 0, 0, 0);
	}

}
