package dev.outbox.bench.report;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerComparisonUnitTests {

	private static PeerComparison comparison() {
		PeerComparison comparison = new PeerComparison();
		comparison.drain("relay", 1, new PeerComparison.Drain(300_000, 12, 6, 7.5, 9.5, 0, 0, 0));
		comparison.drain("relay", 10, new PeerComparison.Drain(300_000, 5, 3, 3, 9, 0, 0, 0));
		comparison.live("relay", new PeerComparison.Live(2_000, 2, 40, 80, 30, 9, 15, 0, 0));
		comparison.drain("debezium-tuned", 1, new PeerComparison.Drain(300_000, 24, 24, 6, 19, 0, 0, 0));
		comparison.drain("debezium-tuned", 10, new PeerComparison.Drain(300_000, 15, 12, 2, 18, 0, 0, 0));
		comparison.live("debezium-tuned", new PeerComparison.Live(2_000, 20, 100, 160, 85, 6, 15, 0, 0));
		comparison.records("debezium-tuned", List.of());
		return comparison;
	}

	@Test
	void ratiosDivideTheRelaysFigureByThePeers() {
		assertThat(PeerComparison.ratio(24_000, 12_000)).isEqualTo(2.0);
		assertThat(PeerComparison.ratio(1, 4)).isEqualTo(0.25);
	}

	@Test
	void aRatioWithAMissingOrZeroFigureIsNotANumber() {
		assertThat(PeerComparison.ratio(0, 4)).isNaN();
		assertThat(PeerComparison.ratio(4, 0)).isNaN();
		assertThat(PeerComparison.times(Double.NaN)).isEqualTo("-");
		assertThat(PeerComparison.times(1.9)).isEqualTo("1.90x");
	}

	@Test
	void theTablePutsThePeerBesideTheRelayWithRelayOverPeerInBrackets() {
		String text = comparison().text();
		assertThat(text.lines().toList()).contains(
				String.format("%-46s %23s %23s", "", "relay", "debezium-tuned"),
				String.format("%-46s %23s %23s", "drain, events/s, 1/tx", "25,000", "12,500 (2.00x)"),
				String.format("%-46s %23s %23s", "  process CPU-s per 100k events, 1/tx", "2.00", "8.00 (0.25x)"),
				String.format("%-46s %23s %23s", "  walsender CPU-s per 100k events, 1/tx", "2.50", "2.00 (1.25x)"),
				String.format("%-46s %23s %23s", "  start -> first record, s, 10/tx", "9.0", "18.0 (0.50x)"),
				String.format("%-46s %23s %23s", "live at 2,000/s: p50 / p99 / max, ms", "2.0 / 40.0 / 80.0", "20.0 / 100 / 160"),
				String.format("%-46s %23s %23s", "  relay / peer: p50 / p99", "", "0.10x / 0.40x"),
				String.format("%-46s %23s %23s", "  process CPU, % of one core", "60 %", "40 %"),
				String.format("%-46s %23s %23s", "records = relay's (topic, key, value, id, eventType)", "", "yes"));
	}

	@Test
	void withoutPeersThereIsNoTable() {
		PeerComparison relayOnly = new PeerComparison();
		relayOnly.drain("relay", 1, new PeerComparison.Drain(300_000, 12, 6, 7.5, 9.5, 0, 0, 0));
		assertThat(relayOnly.hasPeers()).isFalse();
		assertThat(relayOnly.text()).isEmpty();
	}

	@Test
	void theJsonGivesEachPeersRatiosToTheRelay() {
		Map<String, Object> document = comparison().document();
		assertThat(document).containsOnlyKeys("relay", "debezium-tuned");
		@SuppressWarnings("unchecked")
		Map<String, Object> peer = (Map<String, Object>) document.get("debezium-tuned");
		assertThat(peer).containsEntry("recordsSameAsRelay", true);
		assertThat((Map<String, Object>) peer.get("relayOverPeer")).containsEntry("drainRate_1_per_tx", 2.0)
			.containsEntry("processCpuPerEvent_1_per_tx", 0.25)
			.containsEntry("drainRate_10_per_tx", 3.0)
			.containsEntry("p50_at_2000", 0.1)
			.containsEntry("p99_at_2000", 0.4)
			.containsEntry("processCpu_at_2000", 1.5);
	}

	@Test
	void differingRecordsAreListedAndCounted() {
		PeerComparison comparison = comparison();
		comparison.records("debezium", List.of("record 0: header id of debezium is absent, the relay's is 'u1'"));
		assertThat(comparison.problems()).containsExactly("record 0: header id of debezium is absent, the relay's is 'u1'");
		assertThat(comparison.text()).contains("NO: 1 differences")
			.contains("  record 0: header id of debezium is absent, the relay's is 'u1'\n");
	}

	@Test
	void aFailedPeerPhaseIsShownAndCountsAsAProblem() {
		PeerComparison comparison = comparison();
		comparison.failure("debezium", "latency: the debezium exited; see debezium-live.log");
		assertThat(comparison.problems()).containsExactly("debezium: latency: the debezium exited; see debezium-live.log");
		assertThat(comparison.text()).contains("FAILED, see below")
			.contains("  debezium: latency: the debezium exited; see debezium-live.log\n");
	}

	@Test
	void millisecondsKeepOneDecimalBelowAHundredSoThatAPeerSecondsBehindFitsItsColumn() {
		assertThat(PeerComparison.ms(2.44)).isEqualTo("2.4");
		assertThat(PeerComparison.ms(866.6)).isEqualTo("867");
		assertThat(PeerComparison.ms(18714.5)).isEqualTo("18,715");
	}

	@Test
	void cellsWiderThanTheirColumnStaySeparated() {
		PeerComparison comparison = comparison();
		comparison.live("relay", new PeerComparison.Live(10_000, 32.8, 273.9, 449.3, 260, 2, 15, 0, 0));
		comparison.live("debezium-tuned",
				new PeerComparison.Live(10_000, 15_323_456.0, 18_498_812.8, 18_714_500.5, 18_498, 4, 15, 0, 0));
		assertThat(comparison.text()).contains("32.8 / 274 / 449 15,323,456 / 18,498,813 / 18,714,501");
	}

	@Test
	void busyMachineTableHasItsTitleAndLiveRowsButNoRecordsRow() {
		PeerComparison busy = new PeerComparison("Peers on the busy machine");
		busy.live("relay", new PeerComparison.Live(2_000, 3, 30, 60, 20, 9, 15, 0, 0));
		busy.live("debezium-tuned", new PeerComparison.Live(2_000, 20, 100, 160, 85, 6, 15, 0, 0));
		String text = busy.text();
		assertThat(text).startsWith("Peers on the busy machine\n");
		assertThat(text).contains("live at 2,000/s: p50 / p99 / max, ms").contains("0.30x");
		assertThat(text).doesNotContain("records = relay's");
	}

	@Test
	void targetsAgainstTheTunedPeerUseTheIssuesRatios() {
		PeerComparison comparison = new PeerComparison();
		comparison.drain("relay", 1, new PeerComparison.Drain(300_000, 10, 3, 3, 9, 0, 0, 0));
		comparison.drain("debezium-tuned", 1, new PeerComparison.Drain(300_000, 20, 15, 3, 10, 0, 0, 0));
		comparison.live("relay", new PeerComparison.Live(2_000, 3, 40, 80, 30, 9, 15, 0, 0));
		comparison.live("debezium-tuned", new PeerComparison.Live(2_000, 20, 100, 160, 85, 6, 15, 0, 0));
		assertThat(comparison.targets("debezium-tuned", "quiet")).extracting(Target::name, Target::met)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("relay drain >= 1.9x debezium-tuned's, 1/tx", true),
					org.assertj.core.groups.Tuple.tuple("relay CPU per event <= 0.25x debezium-tuned's, 1/tx", true),
					org.assertj.core.groups.Tuple.tuple("p99 at 2,000/s <= 0.5x debezium-tuned's, quiet machine", true),
					org.assertj.core.groups.Tuple.tuple("p50 at 2,000/s <= 5 ms, quiet machine", true),
					org.assertj.core.groups.Tuple.tuple("relay CPU at 2,000/s <= debezium-tuned's, quiet machine", false));
		assertThat(new PeerComparison().targets("debezium-tuned", "busy")).isEmpty();
	}

}
