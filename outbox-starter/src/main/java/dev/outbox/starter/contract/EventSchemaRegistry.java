package dev.outbox.starter.contract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.contract.TableName;
import dev.outbox.starter.contract.IncompatibleEventSchemaException.Incompatibility;

/**
 * The embedded schema registry: a table in the service's own database
 * ({@code db/migration/event-contract/V2__outbox_event_schema.sql}, default
 * {@code outbox_event_schema} in the outbox table's schema) holding every registered version of
 * every event type's JSON Schema.
 * <p>
 * <b>Registration</b> ({@link #register}) takes the current schema of each event type and, in
 * one transaction of its own:
 * <ol>
 * <li>takes the transaction-level advisory lock {@link #LOCK_KEY}, so instances of the service
 * starting at once register one after the other: the second finds what the first registered
 * and, its schemas being identical, registers nothing;</li>
 * <li>for each type, a schema equal to a registered version (jsonb equality, so key order and
 * number spelling do not matter) is accepted as it is: that version is current (a rollback to
 * an earlier release, or a restart);</li>
 * <li>otherwise {@link SchemaCompatibility} checks it against the registered versions under the
 * type's mode (an override, or the default): compatible, it becomes the highest version plus one
 * (1 for a new type); breaking, the type is an {@link Incompatibility};</li>
 * <li>with any incompatibility the transaction rolls back, nothing is written for any type, and
 * {@link IncompatibleEventSchemaException} names them all; else the new versions are inserted
 * and the transaction commits.</li>
 * </ol>
 * Rows are only inserted, never updated or deleted: a version names one schema for good, since
 * events and Kafka records carry it. Thread-safe (each call uses a connection of its own).
 */
public final class EventSchemaRegistry {

	/**
	 * Key of the transaction-level advisory lock ({@code pg_advisory_xact_lock}) that serializes
	 * registrations: the bytes of {@code "outbxreg"}, {@value}. Constant across services and
	 * tables: registrations of different services sharing a database wait for each other, which
	 * costs a few milliseconds at startup.
	 */
	public static final long LOCK_KEY = 0x6f75746278726567L;

	private static final Log logger = LogFactory.getLog(EventSchemaRegistry.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final DataSource dataSource;

	private final TableName table;

	private final CompatibilityMode defaultMode;

	private final Map<String, CompatibilityMode> overrides;

	/**
	 * Create a registry.
	 * @param dataSource the service's database
	 * @param table the registry table
	 * @param defaultMode the compatibility mode of event types without an override
	 * @param overrides the compatibility mode of particular event types
	 */
	public EventSchemaRegistry(DataSource dataSource, TableName table, CompatibilityMode defaultMode,
			Map<String, CompatibilityMode> overrides) {
		this.dataSource = dataSource;
		this.table = table;
		this.defaultMode = defaultMode;
		this.overrides = Map.copyOf(overrides);
	}

	/**
	 * The compatibility mode of an event type.
	 * @param eventType the event type
	 * @return its override, or the default mode
	 */
	public CompatibilityMode modeOf(String eventType) {
		return this.overrides.getOrDefault(eventType, this.defaultMode);
	}

	/**
	 * Register the current schemas, all or none.
	 * @param schemas the current schema of each event type
	 * @return for each event type, its current schema and the version it is registered under
	 * @throws IncompatibleEventSchemaException if any schema breaks its type's mode; nothing was
	 * written
	 * @throws IllegalStateException if the database cannot be read or written, naming the table
	 * @throws IllegalArgumentException if a schema uses a keyword outside the supported subset,
	 * naming the event type
	 */
	public Map<String, EventSchemaVersions.Current> register(SortedMap<String, JsonNode> schemas) {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				Map<String, EventSchemaVersions.Current> current = register(connection, schemas);
				connection.commit();
				return current;
			}
			catch (RuntimeException | SQLException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot register the event schemas in " + this.table.qualified() + ": "
					+ ex.getMessage() + ". The table is created by the starter's migration "
					+ "(db/migration/event-contract/V2__outbox_event_schema.sql); apply it when outbox.flyway.enabled"
					+ "=false, or set outbox.contract.registry.enabled=false", ex);
		}
	}

	private Map<String, EventSchemaVersions.Current> register(Connection connection,
			SortedMap<String, JsonNode> schemas) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
			lock.setLong(1, LOCK_KEY);
			lock.execute();
		}
		Map<String, EventSchemaVersions.Current> current = new LinkedHashMap<>();
		Map<String, Integer> inserts = new LinkedHashMap<>();
		List<Incompatibility> incompatibilities = new ArrayList<>();
		for (Map.Entry<String, JsonNode> entry : schemas.entrySet()) {
			String eventType = entry.getKey();
			JsonNode schema = entry.getValue();
			Integer identical = identicalVersion(connection, eventType, schema);
			if (identical != null) {
				current.put(eventType, new EventSchemaVersions.Current(identical, schema));
				continue;
			}
			List<RegisteredSchema> registered = registered(connection, eventType);
			CompatibilityMode mode = modeOf(eventType);
			List<CompatibilityViolation> violations;
			try {
				violations = SchemaCompatibility.check(schema, registered, mode);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Schema of event type '" + eventType + "': " + ex.getMessage(), ex);
			}
			if (!violations.isEmpty()) {
				incompatibilities.add(new Incompatibility(eventType, mode,
						registered.stream().map(RegisteredSchema::version).toList(), violations));
				continue;
			}
			int version = registered.isEmpty() ? 1 : registered.get(registered.size() - 1).version() + 1;
			inserts.put(eventType, version);
			current.put(eventType, new EventSchemaVersions.Current(version, schema));
		}
		if (!incompatibilities.isEmpty()) {
			throw new IncompatibleEventSchemaException(incompatibilities);
		}
		for (Map.Entry<String, Integer> insert : inserts.entrySet()) {
			insert(connection, insert.getKey(), insert.getValue(), schemas.get(insert.getKey()));
			logger.info("Registered version " + insert.getValue() + " of the schema of event type '"
					+ insert.getKey() + "' (" + modeOf(insert.getKey()) + ") in " + this.table.qualified());
		}
		return current;
	}

	private @Nullable Integer identicalVersion(Connection connection, String eventType, JsonNode schema) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT max(version) FROM "
				+ this.table.qualified() + " WHERE event_type = ? AND schema = ?::jsonb")) {
			statement.setString(1, eventType);
			statement.setString(2, json.writeValueAsString(schema));
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				int version = rows.getInt(1);
				return rows.wasNull() ? null : version;
			}
		}
	}

	private List<RegisteredSchema> registered(Connection connection, String eventType) throws SQLException {
		List<RegisteredSchema> registered = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT version, schema::text FROM "
				+ this.table.qualified() + " WHERE event_type = ? ORDER BY version")) {
			statement.setString(1, eventType);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					registered.add(new RegisteredSchema(rows.getInt(1), json.readTree(rows.getString(2))));
				}
			}
		}
		return registered;
	}

	private void insert(Connection connection, String eventType, int version, JsonNode schema) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + this.table.qualified()
				+ " (event_type, version, schema) VALUES (?, ?, ?::jsonb)")) {
			statement.setString(1, eventType);
			statement.setInt(2, version);
			statement.setString(3, json.writeValueAsString(schema));
			statement.executeUpdate();
		}
	}

}
