package dev.outbox.starter.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.outbox.starter.contract.CompatibilityMode;
import dev.outbox.starter.write.OutboxWriteMode;

/**
 * Configuration properties of the outbox starter.
 */
@ConfigurationProperties("outbox")
public class OutboxProperties {

	/**
	 * Whether to enable the outbox: the Outbox bean, @OutboxEvent, domain events, the table
	 * migration, the replication slot health indicator and the inbox.
	 */
	private boolean enabled = true;

	/**
	 * Outbox table, optionally schema-qualified (schema public when not, as for the relay).
	 * Unquoted lower-case identifiers only.
	 */
	private String table = "public.outbox_event";

	/**
	 * How events are written in the business transaction: 'table' (INSERT and DELETE of a row,
	 * the table stays empty), 'message' (no row: a transactional pg_logical_emit_message with
	 * prefix 'outbox:' plus the table's qualified name; the migration restricts the function
	 * to the writing role) or 'retain' (INSERT of a row that is kept, and purged after
	 * outbox.retain.retention). The relay publishes all three without a setting.
	 */
	private OutboxWriteMode writeMode = OutboxWriteMode.TABLE;

	/**
	 * Number of events of one transaction buffered before they are written in one round trip
	 * (one INSERT and one DELETE in 'table' mode). Whatever is buffered is also written just
	 * before commit.
	 */
	private int batchSize = 500;

	/**
	 * Maximum size of an event payload, serialized as UTF-8 JSON. Larger payloads are
	 * rejected at the call site.
	 */
	private DataSize maxPayloadSize = DataSize.ofKilobytes(512);

	/**
	 * Maximum size of a single event header, name plus value, in UTF-8. Larger headers are
	 * rejected at the call site.
	 */
	private DataSize maxHeaderSize = DataSize.ofKilobytes(8);

	/**
	 * Name of the DataSource bean the outbox writes its events in, for an application with
	 * several. Its migration, inbox, schema registry and slot health indicator use the same one.
	 * Without it: the only DataSource, or the @Primary one; several and none primary fails
	 * startup.
	 */
	private @Nullable String datasource;

	private final Flyway flyway = new Flyway();

	private final Health health = new Health();

	private final Inbox inbox = new Inbox();

	private final Retain retain = new Retain();

	private final Contract contract = new Contract();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTable() {
		return this.table;
	}

	public void setTable(String table) {
		this.table = table;
	}

	public OutboxWriteMode getWriteMode() {
		return this.writeMode;
	}

	public void setWriteMode(OutboxWriteMode writeMode) {
		this.writeMode = writeMode;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	public DataSize getMaxHeaderSize() {
		return this.maxHeaderSize;
	}

	public void setMaxHeaderSize(DataSize maxHeaderSize) {
		this.maxHeaderSize = maxHeaderSize;
	}

	public @Nullable String getDatasource() {
		return this.datasource;
	}

	public void setDatasource(@Nullable String datasource) {
		this.datasource = datasource;
	}

	public Flyway getFlyway() {
		return this.flyway;
	}

	public Health getHealth() {
		return this.health;
	}

	public Inbox getInbox() {
		return this.inbox;
	}

	public Retain getRetain() {
		return this.retain;
	}

	public Contract getContract() {
		return this.contract;
	}

	/**
	 * Settings of the event contract: which event types exist, the schema registry and payload
	 * validation.
	 */
	public static class Contract {

		/**
		 * Whether publishing an event type that is not declared (by an @OutboxEvent method, an
		 * OutboxDomainEvent class in the application's packages or an OutboxEventTypes bean)
		 * fails. Turn off to adopt declarations gradually: undeclared event types are then
		 * published as before, and an @OutboxEvent whose payload type is unknown is left
		 * undeclared instead of failing startup.
		 */
		private boolean requireDeclaredEventTypes = true;

		public boolean isRequireDeclaredEventTypes() {
			return this.requireDeclaredEventTypes;
		}

		public void setRequireDeclaredEventTypes(boolean requireDeclaredEventTypes) {
			this.requireDeclaredEventTypes = requireDeclaredEventTypes;
		}

		/**
		 * Compatibility mode a new schema of an event type must keep against the registered
		 * versions: none, backward, backward-transitive, forward, forward-transitive, full or
		 * full-transitive, with the meanings of Confluent's Schema Registry. Forward: consumers
		 * built on earlier schemas can read what the new producer writes.
		 */
		private CompatibilityMode compatibility = CompatibilityMode.FORWARD;

		/**
		 * Compatibility mode of particular event types, by event type, in place of
		 * outbox.contract.compatibility.
		 */
		private Map<String, CompatibilityMode> compatibilityOverrides = new LinkedHashMap<>();

		/**
		 * Whether to validate each published payload against its event type's current schema
		 * before writing it, rejecting a mismatch with an error naming the property.
		 */
		private boolean validatePayloads;

		private final Registry registry = new Registry();

		public CompatibilityMode getCompatibility() {
			return this.compatibility;
		}

		public void setCompatibility(CompatibilityMode compatibility) {
			this.compatibility = compatibility;
		}

		public Map<String, CompatibilityMode> getCompatibilityOverrides() {
			return this.compatibilityOverrides;
		}

		public void setCompatibilityOverrides(Map<String, CompatibilityMode> compatibilityOverrides) {
			this.compatibilityOverrides = compatibilityOverrides;
		}

		public boolean isValidatePayloads() {
			return this.validatePayloads;
		}

		public void setValidatePayloads(boolean validatePayloads) {
			this.validatePayloads = validatePayloads;
		}

		public Registry getRegistry() {
			return this.registry;
		}

		/**
		 * Settings of the embedded schema registry, a table in the service's database.
		 */
		public static class Registry {

			/**
			 * Whether to register the current schema of each event type at startup, failing it
			 * on a breaking change, and to stamp events with the registered schema version.
			 */
			private boolean enabled = true;

			/**
			 * Schema registry table, optionally schema-qualified (schema public when not).
			 * Unquoted lower-case identifiers only. Unset: outbox_event_schema in the schema of
			 * the outbox table (outbox.table).
			 */
			private @Nullable String table;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public @Nullable String getTable() {
				return this.table;
			}

			public void setTable(@Nullable String table) {
				this.table = table;
			}

		}

	}

	/**
	 * Settings of 'retain' write mode, which keeps the outbox rows and purges old ones.
	 */
	public static class Retain {

		/**
		 * How long an outbox row is kept in 'retain' write mode, by its created_at and the
		 * database clock. Older rows are deleted by the purge.
		 */
		private Duration retention = Duration.ofDays(7);

		/**
		 * Time between two purges of rows past the retention in 'retain' write mode. The first
		 * runs at startup; one instance of the service purges at a time (an advisory lock).
		 */
		private Duration purgeInterval = Duration.ofHours(1);

		/**
		 * Maximum number of rows deleted per transaction by the purge, which repeats until
		 * none past the retention are left.
		 */
		private int purgeBatchSize = 5000;

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getPurgeInterval() {
			return this.purgeInterval;
		}

		public void setPurgeInterval(Duration purgeInterval) {
			this.purgeInterval = purgeInterval;
		}

		public int getPurgeBatchSize() {
			return this.purgeBatchSize;
		}

		public void setPurgeBatchSize(int purgeBatchSize) {
			this.purgeBatchSize = purgeBatchSize;
		}

	}

	/**
	 * Settings of the starter's own table migration.
	 */
	public static class Flyway {

		/**
		 * Whether to create the outbox table (and the inbox table, unless the inbox is
		 * disabled), its schema_version column and the schema registry table at startup with
		 * the starter's own Flyway migrations. Disable it to apply the DDL yourself.
		 */
		private boolean enabled = true;

		/**
		 * Name of the Flyway schema history table of the starter's migration, kept apart
		 * from the application's own. The event contract's migrations use this name with the
		 * suffix _contract.
		 */
		private String historyTable = "outbox_schema_history";

		/**
		 * Database role the starter's migration runs as (so the role that owns the tables it
		 * creates), on the outbox DataSource's database. Takes precedence over
		 * spring.flyway.user; without either, the DataSource's own credentials.
		 */
		private @Nullable String user;

		/**
		 * Password of outbox.flyway.user.
		 */
		private @Nullable String password;

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getHistoryTable() {
			return this.historyTable;
		}

		public void setHistoryTable(String historyTable) {
			this.historyTable = historyTable;
		}

	}

	/**
	 * Settings of the replication slot health indicator.
	 */
	public static class Health {

		/**
		 * Name of the logical replication slot the relay reads the outbox from.
		 */
		private String slotName = "outbox_relay";

		/**
		 * Retained WAL of the slot from which the health status is WARNING (inclusive); an
		 * unreserved slot is WARNING below it too.
		 */
		private DataSize retainedWalWarning = DataSize.ofGigabytes(1);

		/**
		 * Retained WAL of the slot from which the health status is DOWN.
		 */
		private DataSize retainedWalCritical = DataSize.ofGigabytes(3);

		/**
		 * Whether the indicator counts in the service's overall health status. Off by
		 * default: the slot belongs to the relay, so a missing or full slot shows in the
		 * indicator's own group ({@code /actuator/health/outbox-slot}) without taking the
		 * service down. It is never part of liveness or readiness.
		 */
		private boolean affectsOverallStatus;

		public boolean isAffectsOverallStatus() {
			return this.affectsOverallStatus;
		}

		public void setAffectsOverallStatus(boolean affectsOverallStatus) {
			this.affectsOverallStatus = affectsOverallStatus;
		}

		public String getSlotName() {
			return this.slotName;
		}

		public void setSlotName(String slotName) {
			this.slotName = slotName;
		}

		public DataSize getRetainedWalWarning() {
			return this.retainedWalWarning;
		}

		public void setRetainedWalWarning(DataSize retainedWalWarning) {
			this.retainedWalWarning = retainedWalWarning;
		}

		public DataSize getRetainedWalCritical() {
			return this.retainedWalCritical;
		}

		public void setRetainedWalCritical(DataSize retainedWalCritical) {
			this.retainedWalCritical = retainedWalCritical;
		}

	}

	/**
	 * Settings of the inbox, which applies consumed events once.
	 */
	public static class Inbox {

		/**
		 * Whether to enable the inbox: the Inbox bean, @InboxListener for Kafka listeners, the
		 * inbox table migration and its cleanup.
		 */
		private boolean enabled = true;

		/**
		 * Inbox table, optionally schema-qualified (schema public when not). Unquoted lower-case
		 * identifiers only.
		 */
		private String table = "public.inbox_event";

		/**
		 * How long the id of an applied event is kept. A duplicate delivered later than this
		 * is applied again, so keep it above the longest redelivery delay (relay outage,
		 * consumer group reset).
		 */
		private Duration retention = Duration.ofDays(7);

		/**
		 * Time between two deletions of the ids past their retention. The first runs at
		 * startup.
		 */
		private Duration cleanupInterval = Duration.ofHours(1);

		/**
		 * Maximum number of ids deleted per statement by the cleanup, which repeats until
		 * none past the retention are left.
		 */
		private int cleanupBatchSize = 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTable() {
			return this.table;
		}

		public void setTable(String table) {
			this.table = table;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

		public int getCleanupBatchSize() {
			return this.cleanupBatchSize;
		}

		public void setCleanupBatchSize(int cleanupBatchSize) {
			this.cleanupBatchSize = cleanupBatchSize;
		}

	}

}
