package dev.outbox.starter.write;

import java.util.Map;

import dev.outbox.starter.Outbox;

/**
 * The {@link Outbox} on a DataSource that is not PostgreSQL, with nothing standing in for the
 * database (no {@link OutboxCommitListener} that
 * {@link OutboxCommitListener#capturesWithoutDatabase() captures without it}): every publish
 * throws, naming the reason and the test kit. An event is never dropped silently, and a test
 * slice on H2 still starts; only the code that publishes fails.
 */
public final class UnsupportedDatabaseOutbox implements Outbox {

	private final String reason;

	/**
	 * Create the outbox.
	 * @param reason why the DataSource cannot carry events, for example "the outbox's DataSource
	 * 'dataSource' is H2, not PostgreSQL"
	 */
	public UnsupportedDatabaseOutbox(String reason) {
		this.reason = reason;
	}

	@Override
	public void publish(String aggregateType, String aggregateId, String eventType, Object payload,
			Map<String, String> headers) {
		throw new IllegalStateException("Cannot publish event '" + EventChecks.abbreviate(eventType)
				+ "' of aggregateType '" + EventChecks.abbreviate(aggregateType) + "', aggregateId '"
				+ EventChecks.abbreviate(aggregateId) + "': " + this.reason + ". The outbox writes events only in "
				+ "PostgreSQL transactions, for the relay to read from the WAL. In a test on another database "
				+ "(H2, for example), add the test kit (dev.outbox:outbox-test, test scope) and annotate the test "
				+ "class with @AutoConfigureOutboxTestKit: events are then captured in memory instead (see "
				+ "docs/testing.md). In a service, point the outbox at PostgreSQL (outbox.datasource)");
	}

}
