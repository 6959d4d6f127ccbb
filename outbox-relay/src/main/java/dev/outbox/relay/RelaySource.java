package dev.outbox.relay;

import java.util.List;

import dev.outbox.relay.health.OutboxRelayHealthIndicator;
import dev.outbox.relay.health.RelayReadinessHealthIndicator;
import dev.outbox.relay.health.SlotMetrics;
import dev.outbox.relay.pipeline.RelayPipeline;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.source.ReplicationSetup;

/**
 * One source's running parts: its pipeline (own reader thread, checkpoint and backoff), the setup
 * it checks at start, its state, slot figures and health. Nothing here is shared with another
 * source but what the relay shares on purpose (the slot history, the mapper's JSON settings).
 *
 * @param definition the source's name and settings
 * @param setup its replication setup
 * @param pipeline its pipeline
 * @param status its state
 * @param slotMetrics its slot figures, refreshed by the relay's scheduler
 * @param health its health component
 * @param readiness its readiness component
 * @param resources what closes with the source (its producer, its slot reader), in order
 */
record RelaySource(SourceDefinition definition, ReplicationSetup setup, RelayPipeline pipeline, RelayStatus status,
		SlotMetrics slotMetrics, OutboxRelayHealthIndicator health, RelayReadinessHealthIndicator readiness,
		List<AutoCloseable> resources) {

	/** @return the source's name */
	String name() {
		return this.definition.name();
	}

	/** @return the settings the source runs with */
	RelayProperties properties() {
		return this.definition.properties();
	}

}
