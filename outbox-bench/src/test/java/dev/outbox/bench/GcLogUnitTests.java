package dev.outbox.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class GcLogUnitTests {

	@Test
	void aPauseLineGivesItsLengthAndItsStartTheLoggedTimeLessTheLength() {
		GcLog.Pause pause = GcLog.parse("broker",
				"[2026-12-06T19:44:13.329+0000] GC(31) Pause Young (Normal) (G1 Evacuation Pause) 215M->170M(1024M) 54.141ms");

		assertThat(pause).isNotNull();
		assertThat(pause.process()).isEqualTo("broker");
		assertThat(pause.length()).isEqualTo(Duration.ofNanos(54_141_000));
		assertThat(pause.end()).isEqualTo(Instant.parse("2026-12-06T19:44:13.329Z"));
		assertThat(pause.start()).isEqualTo(Instant.parse("2026-12-06T19:44:13.274859Z"));
	}

	@Test
	void linesThatLogNoPauseAreNotPauses() {
		assertThat(GcLog.parse("relay", "[2026-12-06T19:44:13.329+0000] Using G1")).isNull();
		assertThat(GcLog.parse("relay", "[2026-12-06T19:44:13.329+0000] GC(3) Concurrent Mark Cycle 12.004ms"))
			.isNull();
	}

	@Test
	void readsTheFileAndWhatTheJvmRotatedAwayAndAMissingFileHasNoPauses(@TempDir Path work) throws Exception {
		Files.writeString(work.resolve("gc-broker.log"),
				"[2026-12-06T19:44:13.329+0000] Using G1\n"
						+ "[2026-12-06T19:44:14.000+0000] GC(2) Pause Remark 100M->100M(1024M) 1.500ms\n");
		Files.writeString(work.resolve("gc-broker.log.0"),
				"[2026-12-06T19:40:00.000+0000] GC(9) Pause Young (Normal) (G1 Evacuation Pause) 9M->8M(1024M) 2.000ms\n");

		assertThat(GcLog.pauses("broker", work.resolve("gc-broker.log"))).extracting(GcLog.Pause::kind)
			.containsExactly("Pause Remark 100M->100M(1024M)", "Pause Young (Normal) (G1 Evacuation Pause) 9M->8M(1024M)");
		assertThat(GcLog.pauses("relay", work.resolve("gc-relay.log"))).isEmpty();
	}

	@Test
	void aPauseOverlapsAWindowWhenAnyPartOfItLiesInside() {
		GcLog.Pause pause = new GcLog.Pause("relay", "Pause Young", Instant.parse("2026-12-06T19:44:15.990Z"),
				Duration.ofMillis(20));

		assertThat(pause.overlaps(Instant.parse("2026-12-06T19:44:16Z"), Instant.parse("2026-12-06T19:44:17Z")))
			.isTrue();
		assertThat(pause.overlaps(Instant.parse("2026-12-06T19:44:16.010Z"), Instant.parse("2026-12-06T19:44:17Z")))
			.isFalse();
		assertThat(pause.overlaps(Instant.parse("2026-12-06T19:44:15Z"), Instant.parse("2026-12-06T19:44:15.990Z")))
			.isFalse();
	}

}
