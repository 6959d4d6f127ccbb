package dev.outbox.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsUnitTests {

	private static final String[] REQUIRED = { "--pg-url=jdbc:postgresql://127.0.0.1:1/postgres", "--pg-bin=/bin",
			"--bootstrap=127.0.0.1:2", "--relay-jar=r.jar", "--migration=m.sql", "--results=out", "--work=w" };

	@Test
	void fullRunDrainsThreeHundredThousandEventsWithBothDebeziumPeers() {
		BenchOptions options = BenchOptions.parse(REQUIRED);
		assertThat(options.quick()).isFalse();
		assertThat(options.mode()).isEqualTo("full");
		assertThat(options.events()).isEqualTo(300_000);
		assertThat(options.peers()).containsExactly(Peer.DEBEZIUM, Peer.DEBEZIUM_TUNED);
		assertThat(options.producerRecords()).isEqualTo(1_000_000);
		assertThat(options.phases()).containsExactly("a", "b", "c", "d", "e");
		assertThat(options.relayJvmOptions()).isEmpty();
		assertThat(options.latencyWarmupSeconds()).isEqualTo(10);
		assertThat(options.jitWarmupSeconds()).isEqualTo(30);
	}

	@Test
	void quickRunIsSmallerButKeepsTheProducerWarm() {
		BenchOptions options = BenchOptions.parse(with("--quick", "--relay-jvm-options=-XX:+UseSerialGC -Xss512k"));
		assertThat(options.mode()).isEqualTo("quick");
		assertThat(options.events()).isEqualTo(60_000);
		assertThat(options.producerRecords()).isEqualTo(1_000_000);
		assertThat(options.relayJvmOptions()).containsExactly("-XX:+UseSerialGC", "-Xss512k");
		assertThat(options.jitWarmupSeconds()).isZero();
		assertThat(options.peers()).isEmpty();
	}

	@Test
	void peersAreChosenByNameInAnyRun() {
		assertThat(BenchOptions.parse(with("--quick", "--peers=debezium-tuned")).peers())
			.containsExactly(Peer.DEBEZIUM_TUNED);
		assertThat(BenchOptions.parse(with("--peers=none")).peers()).isEmpty();
		assertThat(BenchOptions.parse(with("--debezium-lib=/tmp/dbz")).debeziumLib()).hasToString("/tmp/dbz");
	}

	@Test
	void peersRunTheRelaysFirstLiveRateUnlessAskedForBoth() {
		assertThat(BenchOptions.parse(REQUIRED).peerRates()).containsExactly(2_000.0);
		assertThat(BenchOptions.parse(with("--peer-rates=2000,10000")).peerRates()).containsExactly(2_000.0, 10_000.0);
	}

	@Test
	void onlyTheRateTheTargetsNameRunsAgainOnTheBusyMachineUnlessAskedForMore() {
		assertThat(BenchOptions.parse(REQUIRED).busyRates()).containsExactly(2_000.0);
		assertThat(BenchOptions.parse(with("--busy-rates=2000,10000")).busyRates()).containsExactly(2_000.0, 10_000.0);
		assertThat(BenchOptions.parse(with("--busy=false", "--busy-rates=2000,10000")).busyRates()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(with("--busy-rates=500")))
			.withMessage("--busy-rates: '500' is not one of the relay's live rates; use 2000, 10000 or 2000,10000");
	}

	@Test
	void aPeerRateThatTheRelayDoesNotRunIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(with("--peer-rates=2000,5000")))
			.withMessage("--peer-rates: '5000' is not one of the relay's live rates; use 2000, 10000 or 2000,10000");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(with("--peer-rates=fast")))
			.withMessageStartingWith("--peer-rates: 'fast'");
	}

	@Test
	void missingOrStrayArgumentsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] { "--quick" }))
			.withMessageContaining("--pg-url");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(with("quick")));
	}

	private static String[] with(String... more) {
		List<String> all = new java.util.ArrayList<>(List.of(REQUIRED));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
