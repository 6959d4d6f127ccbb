package dev.outbox.relay.routing;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.Header;

import dev.outbox.relay.event.OutboxRow;

/**
 * What a record says about its event beyond the relay's plain headers, chosen by
 * {@code outbox.relay.record-format}: {@link #PLAIN} adds nothing, {@link CloudEventsFormat} the
 * CloudEvents attributes of binary content mode. Either way the record keeps its key, value,
 * timestamp and plain headers ({@code id} above all, which the inbox reads), so consumers of one
 * format keep working in the other. Implementations are stateless and thread-safe.
 */
public interface RecordFormat {

	/** {@code plain}: the relay's plain headers only. */
	RecordFormat PLAIN = (row, timestamp, headers) -> {
	};

	/**
	 * Adds the format's headers after the plain ones and before the event's own.
	 * @param row the event
	 * @param timestamp the record's timestamp
	 * @param headers the record's headers so far, to add to
	 */
	void addHeaders(OutboxRow row, Instant timestamp, List<Header> headers);

}
