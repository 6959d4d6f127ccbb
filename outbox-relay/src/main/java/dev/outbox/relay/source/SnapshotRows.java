package dev.outbox.relay.source;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.event.OutboxRow;

/**
 * The outbox rows visible in the snapshot exported at slot creation, read one at a time.
 */
@FunctionalInterface
public interface SnapshotRows {

	/**
	 * Returns the next row.
	 * @return the row, or {@code null} after the last
	 * @throws Exception when reading fails
	 */
	@Nullable OutboxRow next() throws Exception;

	/**
	 * Receives the snapshot's rows and returns only once every one is safely published.
	 */
	@FunctionalInterface
	interface Publisher {

		/**
		 * Publishes every row and waits for Kafka's acknowledgements.
		 * @param rows the rows
		 * @param consistentPoint the slot's consistent point, used as the rows' LSN
		 * @throws Exception when publishing fails; the slot is then not created
		 */
		void publish(SnapshotRows rows, long consistentPoint) throws Exception;

	}

}
