package dev.outbox.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PeerUnitTests {

	private static final Database DATABASE = new Database("127.0.0.1", 55452, "postgres", "bench_s1");

	@Test
	void debeziumRoutesTheOutboxAsItsOutboxDocumentationRecommendsOverTheRelaysPublication() {
		Map<String, String> connector = Peer.DEBEZIUM.connector(DATABASE, "debezium_s1");
		assertThat(connector).containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
			.containsEntry("database.hostname", "127.0.0.1")
			.containsEntry("database.port", "55452")
			.containsEntry("database.user", "postgres")
			.containsEntry("database.dbname", "bench_s1")
			.containsEntry("plugin.name", "pgoutput")
			.containsEntry("slot.name", "debezium_s1")
			.containsEntry("publication.name", Database.PUBLICATION)
			.containsEntry("publication.autocreate.mode", "disabled")
			.containsEntry("snapshot.mode", "no_data")
			.containsEntry("transforms", "outbox")
			.containsEntry("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter")
			.containsEntry("transforms.outbox.table.field.event.id", "id")
			.containsEntry("transforms.outbox.table.field.event.key", "aggregate_id")
			.containsEntry("transforms.outbox.table.field.event.payload", "payload")
			.containsEntry("transforms.outbox.route.by.field", "aggregate_type")
			.containsEntry("transforms.outbox.route.topic.replacement", "outbox.event.${routedByValue}")
			.containsEntry("transforms.outbox.table.fields.additional.placement", "event_type:header:eventType")
			.doesNotContainKey("poll.interval.ms");
	}

	@Test
	void theTunedVariantDiffersOnlyInItsNameAndAPollIntervalOfTenMilliseconds() {
		Map<String, String> defaults = new HashMap<>(Peer.DEBEZIUM.connector(DATABASE, "s"));
		Map<String, String> tuned = new HashMap<>(Peer.DEBEZIUM_TUNED.connector(DATABASE, "s"));
		assertThat(tuned.remove("poll.interval.ms")).isEqualTo("10");
		assertThat(tuned.remove("name")).isEqualTo("debezium-tuned");
		assertThat(defaults.remove("name")).isEqualTo("debezium");
		assertThat(tuned).isEqualTo(defaults);
	}

	@Test
	void theWorkerConvertsKeysAndValuesAsStringsAndKeepsOffsetsInAFile() {
		assertThat(Peer.render(Peer.worker("127.0.0.1:29092", Path.of("/w/debezium-s1.offsets"))))
			.isEqualTo("""
					bootstrap.servers=127.0.0.1:29092
					key.converter=org.apache.kafka.connect.storage.StringConverter
					value.converter=org.apache.kafka.connect.storage.StringConverter
					offset.storage.file.filename=/w/debezium-s1.offsets
					listeners=http://127.0.0.1:0
					""");
	}

	@Test
	void peersAreNamedInTheOrderGivenOrNone() {
		assertThat(Peer.parse("debezium-tuned,debezium")).containsExactly(Peer.DEBEZIUM_TUNED, Peer.DEBEZIUM);
		assertThat(Peer.parse("none")).isEmpty();
		assertThat(Peer.parse("")).isEmpty();
	}

	@Test
	void anUnknownPeerIsRefusedWithTheOptionAndTheKnownNames() {
		assertThatIllegalArgumentException().isThrownBy(() -> Peer.parse("debezium,kafka-connect-jdbc"))
			.withMessage("--peers: unknown peer 'kafka-connect-jdbc'; use debezium, debezium-tuned or none");
	}

}
