package dev.outbox.relay.health;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.source.SlotStatus;

/**
 * Reads the relay's slot for health: {@link SlotReader} against PostgreSQL, within a time bound.
 * A seam so that the health rules can be proved without a server.
 */
@FunctionalInterface
public interface SlotQuery {

	/**
	 * Reads the slot.
	 * @return its status, or {@code null} when it does not exist
	 * @throws SQLException when PostgreSQL does not answer in time, cannot be reached, or the query
	 * fails
	 */
	@Nullable SlotStatus read() throws SQLException;

}
