package dev.outbox.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The system users would pick instead of the relay, measured beside it: Debezium's
 * PostgreSQL connector with its outbox {@code EventRouter} on Kafka Connect standalone, configured
 * as Debezium's outbox documentation recommends, so that its records have the relay's topic,
 * key, value, {@code id} and {@code eventType} headers. Two variants: Debezium's defaults, and
 * tuned for latency ({@code poll.interval.ms=10} instead of 500).
 * <p>
 * Settings beyond the recommended ones, each needed for the comparison and none for speed: the
 * slot is created by the benchmark before the backlog is written (as the relay's is), so
 * {@code snapshot.mode=no_data} streams it from there instead of snapshotting a table that is
 * always empty; the publication is the relay's ({@code publish = 'insert'}); the REST listener
 * takes a free port; offsets go to a file of the run.
 */
public enum Peer {

	/** Debezium's defaults. */
	DEBEZIUM("debezium", Map.of()),

	/** Tuned for latency: the connector polls its queue every 10 ms instead of every 500 ms. */
	DEBEZIUM_TUNED("debezium-tuned", Map.of("poll.interval.ms", "10"));

	/** The main class of Kafka Connect standalone. */
	public static final String CONNECT_MAIN = "org.apache.kafka.connect.cli.ConnectStandalone";

	private final String label;

	private final Map<String, String> tuning;

	Peer(String label, Map<String, String> tuning) {
		this.label = label;
		this.tuning = tuning;
	}

	/** @return the name in {@code --peers=} and in the report */
	public String label() {
		return this.label;
	}

	/**
	 * Parses {@code --peers=}: names separated by commas, or {@code none}.
	 * @param value the option's value
	 * @return the peers in the order given
	 * @throws IllegalArgumentException naming the option and the known peers when a name is unknown
	 */
	public static List<Peer> parse(String value) {
		if (value.isBlank() || value.trim().equals("none")) {
			return List.of();
		}
		return Arrays.stream(value.split(",")).map(String::trim).map(Peer::named).distinct().toList();
	}

	private static Peer named(String name) {
		for (Peer peer : values()) {
			if (peer.label.equals(name)) {
				return peer;
			}
		}
		throw new IllegalArgumentException("--peers: unknown peer '" + name + "'; use "
				+ Arrays.stream(values()).map(Peer::label).collect(Collectors.joining(", ")) + " or none");
	}

	/**
	 * The Connect worker's properties ({@code worker.properties}).
	 * @param bootstrap Kafka
	 * @param offsets the file Connect keeps source offsets in
	 * @return the properties, in file order
	 */
	public static Map<String, String> worker(String bootstrap, Path offsets) {
		Map<String, String> worker = new LinkedHashMap<>();
		worker.put("bootstrap.servers", bootstrap);
		worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
		worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
		worker.put("offset.storage.file.filename", offsets.toString());
		worker.put("listeners", "http://127.0.0.1:0");
		return worker;
	}

	/**
	 * The connector's properties ({@code connector.properties}).
	 * @param database the outbox database
	 * @param slot the pgoutput slot, created before the backlog
	 * @return the properties, in file order
	 */
	public Map<String, String> connector(Database database, String slot) {
		Map<String, String> connector = new LinkedHashMap<>();
		connector.put("name", this.label);
		connector.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
		connector.put("tasks.max", "1");
		connector.put("database.hostname", database.host());
		connector.put("database.port", Integer.toString(database.port()));
		connector.put("database.user", database.user());
		connector.put("database.dbname", database.database());
		connector.put("topic.prefix", "bench");
		connector.put("plugin.name", "pgoutput");
		connector.put("slot.name", slot);
		connector.put("publication.name", Database.PUBLICATION);
		connector.put("publication.autocreate.mode", "disabled");
		connector.put("table.include.list", "public.outbox_event");
		connector.put("snapshot.mode", "no_data");
		connector.put("tombstones.on.delete", "false");
		connector.put("transforms", "outbox");
		connector.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
		connector.put("transforms.outbox.table.field.event.id", "id");
		connector.put("transforms.outbox.table.field.event.key", "aggregate_id");
		connector.put("transforms.outbox.table.field.event.payload", "payload");
		connector.put("transforms.outbox.route.by.field", "aggregate_type");
		connector.put("transforms.outbox.route.topic.replacement", "outbox.event.${routedByValue}");
		connector.put("transforms.outbox.table.fields.additional.placement", "event_type:header:eventType");
		connector.putAll(this.tuning);
		return connector;
	}

	/**
	 * Renders properties as a {@code .properties} file.
	 * @param properties name to value, in file order
	 * @return one {@code name=value} line each
	 */
	public static String render(Map<String, String> properties) {
		StringBuilder text = new StringBuilder();
		properties.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
		return text.toString();
	}

}
