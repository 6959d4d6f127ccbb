package dev.outbox.starter.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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
	 * Number of events of one transaction buffered before they are written as one INSERT and
	 * one DELETE. Whatever is buffered is also written just before commit.
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

	private final Flyway flyway = new Flyway();

	private final Health health = new Health();

	private final Inbox inbox = new Inbox();

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

	public Flyway getFlyway() {
		return this.flyway;
	}

	public Health getHealth() {
		return this.health;
	}

	public Inbox getInbox() {
		return this.inbox;
	}

	/**
	 * Settings of the starter's own table migration.
	 */
	public static class Flyway {

		/**
		 * Whether to create the outbox table (and the inbox table, unless the inbox is
		 * disabled) at startup with the starter's own Flyway migration. Disable it to apply the
		 * DDL yourself.
		 */
		private boolean enabled = true;

		/**
		 * Name of the Flyway schema history table of the starter's migration, kept apart
		 * from the application's own.
		 */
		private String historyTable = "outbox_schema_history";

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
