package dev.outbox.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The relay beside its peers: for each system, the same table-mode backlogs and live
 * rates, measured the same way, and the ratios relay ÷ peer. Every figure is measured per system
 * over the same window: a drain from its first record to its last, CPU of the publishing process
 * and of the walsender feeding it over that window, start-up from launching its JVM to its first
 * record, latency from commit to the verifying consumer's receive.
 * <p>
 * A ratio above 1 favours the relay for drain rate; below 1 favours it for CPU, start-up and
 * latency.
 */
public final class PeerComparison {

	/** The relay's name in the table; it comes first and the ratios divide by the others. */
	public static final String RELAY = "relay";

	private static final int COLUMN = 24;

	private final String title;

	private final Map<String, Map<Integer, Drain>> drains = new LinkedHashMap<>();

	private final Map<String, Map<Double, Live>> live = new LinkedHashMap<>();

	private final Map<String, List<String>> recordDifferences = new LinkedHashMap<>();

	private final Map<String, List<String>> failures = new LinkedHashMap<>();

	/** A comparison of drains and live rates on the quiet machine. */
	public PeerComparison() {
		this("Peers: the same table-mode backlogs and live rates, one system at a time; (x) is relay / peer");
	}

	/**
	 * @param title the table's first line
	 */
	public PeerComparison(String title) {
		this.title = title;
	}

	/**
	 * One drain of a table-mode backlog.
	 * @param events events received (distinct)
	 * @param seconds first record to last
	 * @param processCpuSeconds CPU of the publishing process over that window
	 * @param walsenderCpuSeconds CPU of its walsender over that window
	 * @param startSeconds from launching its JVM to the first record received
	 * @param missing events not received
	 * @param duplicates records received twice
	 * @param outOfOrder events received before an earlier event of their aggregate
	 */
	public record Drain(long events, double seconds, double processCpuSeconds, double walsenderCpuSeconds,
			double startSeconds, long missing, long duplicates, long outOfOrder) {

		/** @return events per second, first record to last */
		public double rate() {
			return this.events / Math.max(this.seconds, 1e-9);
		}

		/** @return process CPU seconds per 100,000 events */
		public double cpuPer100k() {
			return this.processCpuSeconds * 100_000 / Math.max(1, this.events);
		}

		/** @return walsender CPU seconds per 100,000 events */
		public double walsenderPer100k() {
			return this.walsenderCpuSeconds * 100_000 / Math.max(1, this.events);
		}

	}

	/**
	 * One fixed live rate.
	 * @param offered events per second offered
	 * @param p50Ms median commit → receive
	 * @param p99Ms 99th percentile
	 * @param maxMs the worst
	 * @param toBrokerP99Ms 99th percentile of commit → the broker's append time
	 * @param processCpuSeconds CPU of the publishing process while the writers ran
	 * @param seconds how long the writers ran
	 * @param missing events not received
	 * @param outOfOrder events received before an earlier event of their aggregate
	 */
	public record Live(double offered, double p50Ms, double p99Ms, double maxMs, double toBrokerP99Ms,
			double processCpuSeconds, double seconds, long missing, long outOfOrder) {
	}

	/**
	 * Adds a drain.
	 * @param system {@link #RELAY} or a peer's name
	 * @param eventsPerTransaction 1 or 10
	 * @param drain what it measured
	 */
	public void drain(String system, int eventsPerTransaction, Drain drain) {
		this.drains.computeIfAbsent(system, (name) -> new TreeMap<>()).put(eventsPerTransaction, drain);
	}

	/**
	 * Adds a live rate.
	 * @param system {@link #RELAY} or a peer's name
	 * @param live what it measured
	 */
	public void live(String system, Live live) {
		this.live.computeIfAbsent(system, (name) -> new TreeMap<>()).put(live.offered(), live);
	}

	/**
	 * Records the check of a peer's records against the relay's.
	 * @param peer the peer
	 * @param differences empty when they are the same
	 */
	public void records(String peer, List<String> differences) {
		this.recordDifferences.put(peer, List.copyOf(differences));
	}

	/**
	 * Records a peer's phase that failed, so the run reports it and ends in an error.
	 * @param peer the peer
	 * @param failure what went wrong
	 */
	public void failure(String peer, String failure) {
		this.failures.computeIfAbsent(peer, (name) -> new ArrayList<>()).add(peer + ": " + failure);
	}

	/** @return whether any peer was measured */
	public boolean hasPeers() {
		return peers().size() > 0;
	}

	/** @return every difference found between a peer's records and the relay's, and every failed peer phase */
	public List<String> problems() {
		List<String> all = new ArrayList<>();
		this.recordDifferences.values().forEach(all::addAll);
		this.failures.values().forEach(all::addAll);
		return all;
	}

	/**
	 * Divides the relay's figure by a peer's.
	 * @param relay the relay's figure
	 * @param peer the peer's
	 * @return relay ÷ peer, or NaN when either is missing or the peer's is zero
	 */
	public static double ratio(double relay, double peer) {
		return (relay > 0 && peer > 0) ? relay / peer : Double.NaN;
	}

	private List<String> peers() {
		List<String> peers = new ArrayList<>();
		for (String system : systems()) {
			if (!system.equals(RELAY)) {
				peers.add(system);
			}
		}
		return peers;
	}

	private List<String> systems() {
		List<String> systems = new ArrayList<>(List.of(RELAY));
		Stream.of(this.drains.keySet(), this.live.keySet(), this.recordDifferences.keySet(), this.failures.keySet())
			.flatMap(Set::stream)
			.filter((system) -> !systems.contains(system))
			.forEach(systems::add);
		return systems;
	}

	private List<Integer> transactionSizes() {
		return this.drains.values().stream().flatMap((bySize) -> bySize.keySet().stream()).distinct().sorted().toList();
	}

	private List<Double> rates() {
		return this.live.values().stream().flatMap((byRate) -> byRate.keySet().stream()).distinct().sorted().toList();
	}

	// ---- the table

	/**
	 * The side-by-side table.
	 * @return lines ending in a newline; empty without peers
	 */
	public String text() {
		if (!hasPeers()) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		out.append(this.title).append('\n');
		out.append(String.format(Locale.ROOT, "%-46s", ""));
		for (String system : systems()) {
			out.append(String.format(Locale.ROOT, " %" + (COLUMN - 1) + "s", system));
		}
		out.append('\n');
		for (int size : transactionSizes()) {
			String tx = size + "/tx";
			drainRow(out, "drain, events/s, " + tx, size, Drain::rate, (rate) -> count(rate));
			drainRow(out, "  process CPU-s per 100k events, " + tx, size, Drain::cpuPer100k, PeerComparison::two);
			drainRow(out, "  walsender CPU-s per 100k events, " + tx, size, Drain::walsenderPer100k, PeerComparison::two);
			drainRow(out, "  start -> first record, s, " + tx, size, Drain::startSeconds, PeerComparison::one);
			row(out, "  missing / duplicates / out of order, " + tx, (system) -> {
				Drain drain = drainOf(system, size);
				return (drain == null) ? "-" : drain.missing() + " / " + drain.duplicates() + " / " + drain.outOfOrder();
			});
		}
		for (double rate : rates()) {
			String at = "at " + count(rate) + "/s";
			row(out, "live " + at + ": p50 / p99 / max, ms", (system) -> {
				Live live = liveOf(system, rate);
				return (live == null) ? "-" : ms(live.p50Ms()) + " / " + ms(live.p99Ms()) + " / " + ms(live.maxMs());
			});
			row(out, "  relay / peer: p50 / p99", (system) -> {
				Live relay = liveOf(RELAY, rate);
				Live live = liveOf(system, rate);
				if (system.equals(RELAY) || relay == null || live == null) {
					return "";
				}
				return times(ratio(relay.p50Ms(), live.p50Ms())) + " / " + times(ratio(relay.p99Ms(), live.p99Ms()));
			});
			row(out, "  commit -> broker p99, ms", (system) -> {
				Live live = liveOf(system, rate);
				return (live == null) ? "-" : ms(live.toBrokerP99Ms());
			});
			row(out, "  process CPU, % of one core", (system) -> {
				Live live = liveOf(system, rate);
				return (live == null) ? "-"
						: String.format(Locale.ROOT, "%.0f %%", 100 * live.processCpuSeconds() / Math.max(live.seconds(), 1e-9));
			});
			row(out, "  missing / out of order", (system) -> {
				Live live = liveOf(system, rate);
				return (live == null) ? "-" : live.missing() + " / " + live.outOfOrder();
			});
		}
		if (this.drains.isEmpty() && this.recordDifferences.isEmpty() && this.failures.isEmpty()) {
			return out.toString(); // live rates only: the records were checked in the drains' table
		}
		row(out, "records = relay's (topic, key, value, id, eventType)", (system) -> {
			if (system.equals(RELAY)) {
				return "";
			}
			List<String> differences = this.recordDifferences.get(system);
			if (this.failures.containsKey(system)) {
				return "FAILED, see below";
			}
			return (differences == null) ? "not checked" : differences.isEmpty() ? "yes"
					: "NO: " + differences.size() + " differences";
		});
		for (String difference : problems()) {
			out.append("  ").append(difference).append('\n');
		}
		return out.toString();
	}

	private void drainRow(StringBuilder out, String label, int size, Function<Drain, Double> figure,
			Function<Double, String> format) {
		Drain relay = drainOf(RELAY, size);
		row(out, label, (system) -> {
			Drain drain = drainOf(system, size);
			if (drain == null) {
				return "-";
			}
			String value = format.apply(figure.apply(drain));
			if (system.equals(RELAY) || relay == null) {
				return value;
			}
			return value + " (" + times(ratio(figure.apply(relay), figure.apply(drain))) + ")";
		});
	}

	private void row(StringBuilder out, String label, Function<String, String> cell) {
		out.append(String.format(Locale.ROOT, "%-46s", label));
		for (String system : systems()) { // a space before each cell, even one wider than its column
			out.append(String.format(Locale.ROOT, " %" + (COLUMN - 1) + "s", cell.apply(system)));
		}
		out.append('\n');
	}

	private @Nullable Drain drainOf(String system, int size) {
		return this.drains.getOrDefault(system, Map.of()).get(size);
	}

	private @Nullable Live liveOf(String system, double rate) {
		return this.live.getOrDefault(system, Map.of()).get(rate);
	}

	/**
	 * The targets against one peer (Debezium tuned for latency): drain rate at least what
	 * it was before (1.9x and 2.6x), CPU per event at most 0.25x, p99 at 2,000 events/s at most
	 * 0.5x, p50 there at most 5 ms, and CPU during the live runs no higher than the peer's.
	 * @param peer the peer's name
	 * @param machine "quiet" or "busy", named in each target
	 * @return the targets whose figures were measured
	 */
	List<Target> targets(String peer, String machine) {
		List<Target> targets = new ArrayList<>();
		for (int size : transactionSizes()) {
			Drain relay = drainOf(RELAY, size);
			Drain other = drainOf(peer, size);
			if (relay == null || other == null) {
				continue;
			}
			double floor = (size == 1) ? 1.9 : 2.6;
			double drain = ratio(relay.rate(), other.rate());
			targets.add(new Target(String.format(Locale.ROOT, "relay drain >= %.1fx %s's, %d/tx", floor, peer, size),
					times(drain), drain >= floor));
			double cpu = ratio(relay.cpuPer100k(), other.cpuPer100k());
			targets.add(new Target("relay CPU per event <= 0.25x " + peer + "'s, " + size + "/tx", times(cpu), cpu <= 0.25));
		}
		Live relay = liveOf(RELAY, 2_000);
		Live other = liveOf(peer, 2_000);
		if (relay != null && other != null) {
			double p99 = ratio(relay.p99Ms(), other.p99Ms());
			targets.add(new Target("p99 at 2,000/s <= 0.5x " + peer + "'s, " + machine + " machine",
					times(p99) + " (" + ms(relay.p99Ms()) + " vs " + ms(other.p99Ms()) + " ms)", p99 <= 0.5));
			targets.add(new Target("p50 at 2,000/s <= 5 ms, " + machine + " machine", ms(relay.p50Ms()) + " ms",
					relay.p50Ms() <= 5));
			double cpu = ratio(relay.processCpuSeconds() / Math.max(relay.seconds(), 1e-9),
					other.processCpuSeconds() / Math.max(other.seconds(), 1e-9));
			targets.add(new Target("relay CPU at 2,000/s <= " + peer + "'s, " + machine + " machine", times(cpu),
					cpu <= 1));
		}
		return targets;
	}

	// ---- the JSON

	/**
	 * The JSON section: each system's figures and, for each peer, the ratios relay ÷ peer.
	 * @return name to value, in table order
	 */
	public Map<String, Object> document() {
		Map<String, Object> doc = new LinkedHashMap<>();
		for (String system : systems()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			Map<String, Object> drains = new LinkedHashMap<>();
			Map<String, Object> ratios = new LinkedHashMap<>();
			this.drains.getOrDefault(system, Map.of()).forEach((size, drain) -> {
				Map<String, Object> figures = new LinkedHashMap<>();
				figures.put("events", drain.events());
				figures.put("drainPerSecond", round(drain.rate()));
				figures.put("processCpuSecondsPer100kEvents", round3(drain.cpuPer100k()));
				figures.put("walsenderCpuSecondsPer100kEvents", round3(drain.walsenderPer100k()));
				figures.put("startToFirstRecordSeconds", round3(drain.startSeconds()));
				figures.put("missing", drain.missing());
				figures.put("duplicates", drain.duplicates());
				figures.put("outOfOrder", drain.outOfOrder());
				drains.put(size + "_per_tx", figures);
				Drain relay = drainOf(RELAY, size);
				if (!system.equals(RELAY) && relay != null) {
					ratios.put("drainRate_" + size + "_per_tx", round3(ratio(relay.rate(), drain.rate())));
					ratios.put("processCpuPerEvent_" + size + "_per_tx", round3(ratio(relay.cpuPer100k(), drain.cpuPer100k())));
					ratios.put("walsenderCpuPerEvent_" + size + "_per_tx",
							round3(ratio(relay.walsenderPer100k(), drain.walsenderPer100k())));
					ratios.put("startSeconds_" + size + "_per_tx", round3(ratio(relay.startSeconds(), drain.startSeconds())));
				}
			});
			entry.put("drains", drains);
			List<Object> lives = new ArrayList<>();
			this.live.getOrDefault(system, Map.of()).forEach((rate, live) -> {
				Map<String, Object> figures = new LinkedHashMap<>();
				figures.put("offeredPerSecond", rate);
				figures.put("p50Ms", round3(live.p50Ms()));
				figures.put("p99Ms", round3(live.p99Ms()));
				figures.put("maxMs", round3(live.maxMs()));
				figures.put("commitToBrokerAppendP99Ms", round3(live.toBrokerP99Ms()));
				figures.put("processCpuSeconds", round3(live.processCpuSeconds()));
				figures.put("writerSeconds", round3(live.seconds()));
				figures.put("missing", live.missing());
				figures.put("outOfOrder", live.outOfOrder());
				lives.add(figures);
				Live relay = liveOf(RELAY, rate);
				if (!system.equals(RELAY) && relay != null) {
					String at = "_at_" + (long) (double) rate;
					ratios.put("p50" + at, round3(ratio(relay.p50Ms(), live.p50Ms())));
					ratios.put("p99" + at, round3(ratio(relay.p99Ms(), live.p99Ms())));
					ratios.put("max" + at, round3(ratio(relay.maxMs(), live.maxMs())));
					ratios.put("processCpu" + at, round3(ratio(relay.processCpuSeconds(), live.processCpuSeconds())));
				}
			});
			entry.put("live", lives);
			if (!system.equals(RELAY)) {
				entry.put("relayOverPeer", ratios);
				List<String> differences = this.recordDifferences.get(system);
				entry.put("recordsSameAsRelay", (differences == null) ? "not checked" : differences.isEmpty());
				if (differences != null && !differences.isEmpty()) {
					entry.put("recordDifferences", differences);
				}
				if (this.failures.containsKey(system)) {
					entry.put("failures", this.failures.get(system));
				}
			}
			doc.put(system, entry);
		}
		return doc;
	}

	/**
	 * The live figures of one system, for the plot.
	 * @param system the system
	 * @return offered rate to figures, in rate order
	 */
	Map<Double, Live> liveOf(String system) {
		return this.live.getOrDefault(system, Map.of());
	}

	/** @return the peers' names, in the order measured */
	List<String> peerNames() {
		return peers();
	}

	// ---- formats

	static String times(double ratio) {
		return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
	}

	private static String count(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	/** Milliseconds: one decimal below 100 ms, none above, so a peer seconds behind fits its column. */
	static String ms(double value) {
		return String.format(Locale.ROOT, (value < 100) ? "%.1f" : "%,.0f", value);
	}

	private static String one(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private static String two(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private static Object round(double value) {
		return Double.isNaN(value) ? "n/a" : Math.round(value * 10) / 10.0;
	}

	private static Object round3(double value) {
		return Double.isNaN(value) ? "n/a" : Math.round(value * 1000) / 1000.0;
	}

}
