package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * A PostgreSQL connection in logical replication mode ({@code replication=database}), the only
 * kind that can create a slot with an exported snapshot or stream from one.
 * <p>
 * The stream is started with {@code withAutomaticFlush(false)}: the driver would otherwise report
 * every received position as flushed, and PostgreSQL would free WAL of events Kafka has not
 * acknowledged. Here only the relay's checkpoint moves the confirmed position. Its sockets report
 * every arrival to a {@link ReceiveClock}, so that a silent link is noticed. Not thread-safe:
 * one reader thread owns a connection and its stream.
 */
public final class ReplicationConnection implements AutoCloseable {

	/** The first PostgreSQL major version whose pgoutput sends logical decoding messages. */
	static final int MESSAGES_SINCE = 14;

	private final Connection connection;

	private final ReceiveClock receiveClock;

	private ReplicationConnection(Connection connection, ReceiveClock receiveClock) {
		this.connection = connection;
		this.receiveClock = receiveClock;
	}

	/**
	 * Opens a replication connection.
	 * @param jdbcUrl the database's JDBC URL ({@code spring.datasource.url})
	 * @param username the role, which needs the REPLICATION attribute
	 * @param password its password (may be {@code null})
	 * @return an open connection
	 * @throws SQLException when PostgreSQL refuses it
	 */
	public static ReplicationConnection open(String jdbcUrl, String username, String password) throws SQLException {
		Properties properties = new Properties();
		if (username != null) {
			PGProperty.USER.set(properties, username);
		}
		if (password != null) {
			PGProperty.PASSWORD.set(properties, password);
		}
		PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
		PGProperty.REPLICATION.set(properties, "database");
		PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
		PGProperty.APPLICATION_NAME.set(properties, "outbox-relay");
		PGProperty.TCP_KEEP_ALIVE.set(properties, true);
		ReceiveClock clock = ReceiveClock.open();
		PGProperty.SOCKET_FACTORY.set(properties, ReceiveClockSocketFactory.class.getName());
		PGProperty.SOCKET_FACTORY_ARG.set(properties, clock.id());
		try {
			return new ReplicationConnection(DriverManager.getConnection(jdbcUrl, properties), clock);
		}
		catch (SQLException | RuntimeException ex) {
			clock.close();
			throw ex;
		}
	}

	/** @return when this connection last received bytes from the server */
	public ReceiveClock receiveClock() {
		return this.receiveClock;
	}

	/**
	 * Creates a pgoutput slot on this connection. Its exported snapshot
	 * ({@link ReplicationSlotInfo#getSnapshotName()}) stays importable only until this connection
	 * runs its next command.
	 * @param slotName the slot
	 * @param temporary whether the slot dies with this connection
	 * @return the slot's consistent point and snapshot
	 * @throws SQLException when creation fails
	 */
	public ReplicationSlotInfo createSlot(String slotName, boolean temporary) throws SQLException {
		var builder = this.connection.unwrap(PGConnection.class)
			.getReplicationAPI()
			.createReplicationSlot()
			.logical()
			.withSlotName(slotName)
			.withOutputPlugin("pgoutput");
		if (temporary) {
			builder.withTemporaryOption();
		}
		return builder.make();
	}

	/**
	 * Lets a logical slot follow a failover ({@code ALTER_REPLICATION_SLOT ... (FAILOVER true)},
	 * PostgreSQL 17 and later; there is no SQL function for it).
	 * @param slotName the slot, not one this connection streams
	 * @throws SQLException when the server refuses it
	 */
	public void enableFailover(String slotName) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("ALTER_REPLICATION_SLOT " + ReplicationSetup.quote(slotName) + " ( FAILOVER true )");
		}
	}

	/**
	 * Starts streaming a slot from its confirmed position, with pgoutput's {@code messages} option
	 * on PostgreSQL 14 and later, so that events written as logical decoding messages arrive in
	 * their transactions ({@code streaming} stays off: the checkpoint relies on whole transactions).
	 * @param slotName the slot
	 * @param publicationName the publication pgoutput filters by
	 * @param statusIntervalMillis how often the driver sends status updates on its own while reading
	 * @return the stream
	 * @throws SQLException when the slot cannot be streamed (missing, in use, invalidated)
	 */
	public PGReplicationStream start(String slotName, String publicationName, long statusIntervalMillis)
			throws SQLException {
		var builder = this.connection.unwrap(PGConnection.class)
			.getReplicationAPI()
			.replicationStream()
			.logical()
			.withSlotName(slotName)
			// InvalidLSN: the server starts at the slot's confirmed_flush_lsn.
			.withStartPosition(LogSequenceNumber.INVALID_LSN)
			.withSlotOption("proto_version", 1)
			.withSlotOption("publication_names", ReplicationSetup.quote(publicationName));
		if (this.connection.getMetaData().getDatabaseMajorVersion() >= MESSAGES_SINCE) {
			// Logical decoding messages (message write mode); streaming stays off: whole transactions only.
			builder = builder.withSlotOption("messages", true);
		}
		return builder.withStatusInterval((int) Math.max(1, statusIntervalMillis), TimeUnit.MILLISECONDS)
			.withAutomaticFlush(false)
			.start();
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// closing a broken connection: nothing left to release
		}
		finally {
			this.receiveClock.close();
		}
	}

}
