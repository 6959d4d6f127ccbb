package dev.outbox.starter.autoconfigure;

import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.outbox.contract.TableName;

/**
 * Reads {@link OutboxProperties} values and rejects bad ones with an
 * {@link InvalidConfigurationPropertyValueException}, which names the property, its value
 * and the fix (Spring Boot's failure analyzer prints it as such at startup).
 */
final class ValidatedOutboxProperties {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private ValidatedOutboxProperties() {
	}

	static TableName table(OutboxProperties properties) {
		try {
			return TableName.parse(properties.getTable(), "outbox.table");
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("outbox.table", properties.getTable(),
					ex.getMessage());
		}
	}

	static TableName inboxTable(OutboxProperties properties) {
		try {
			return TableName.parse(properties.getInbox().getTable(), "outbox.inbox.table");
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("outbox.inbox.table", properties.getInbox().getTable(),
					ex.getMessage());
		}
	}

	/**
	 * The inbox table the migration creates: none when the inbox is disabled.
	 */
	static @Nullable TableName migratedInboxTable(OutboxProperties properties) {
		return properties.getInbox().isEnabled() ? inboxTable(properties) : null;
	}

	static Duration inboxRetention(OutboxProperties properties) {
		return positive("outbox.inbox.retention", properties.getInbox().getRetention());
	}

	static Duration inboxCleanupInterval(OutboxProperties properties) {
		return positive("outbox.inbox.cleanup-interval", properties.getInbox().getCleanupInterval());
	}

	static int inboxCleanupBatchSize(OutboxProperties properties) {
		int batchSize = properties.getInbox().getCleanupBatchSize();
		if (batchSize < 1) {
			throw new InvalidConfigurationPropertyValueException("outbox.inbox.cleanup-batch-size", batchSize,
					"The batch size must be at least 1 (the default is 1000)");
		}
		return batchSize;
	}

	static int batchSize(OutboxProperties properties) {
		int batchSize = properties.getBatchSize();
		if (batchSize < 1) {
			throw new InvalidConfigurationPropertyValueException("outbox.batch-size", batchSize,
					"The batch size must be at least 1 (the default is 500)");
		}
		return batchSize;
	}

	static DataSize maxPayloadSize(OutboxProperties properties) {
		return positive("outbox.max-payload-size", properties.getMaxPayloadSize());
	}

	static DataSize maxHeaderSize(OutboxProperties properties) {
		return positive("outbox.max-header-size", properties.getMaxHeaderSize());
	}

	static String historyTable(OutboxProperties properties) {
		String historyTable = properties.getFlyway().getHistoryTable();
		if (historyTable == null || !IDENTIFIER.matcher(historyTable).matches()) {
			throw new InvalidConfigurationPropertyValueException("outbox.flyway.history-table", historyTable,
					"The history table must be an unquoted lower-case identifier, for example outbox_schema_history");
		}
		return historyTable;
	}

	static String slotName(OutboxProperties properties) {
		String slotName = properties.getHealth().getSlotName();
		if (!StringUtils.hasText(slotName)) {
			throw new InvalidConfigurationPropertyValueException("outbox.health.slot-name", slotName,
					"Set the name of the relay's replication slot (the default is outbox_relay)");
		}
		return slotName;
	}

	static DataSize retainedWalWarning(OutboxProperties properties) {
		return positive("outbox.health.retained-wal-warning", properties.getHealth().getRetainedWalWarning());
	}

	static DataSize retainedWalCritical(OutboxProperties properties) {
		DataSize critical = positive("outbox.health.retained-wal-critical",
				properties.getHealth().getRetainedWalCritical());
		DataSize warning = retainedWalWarning(properties);
		if (critical.compareTo(warning) <= 0) {
			throw new InvalidConfigurationPropertyValueException("outbox.health.retained-wal-critical", critical,
					"The critical threshold must be above outbox.health.retained-wal-warning (" + warning + ")");
		}
		return critical;
	}

	private static DataSize positive(String name, DataSize value) {
		if (value == null || value.toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The size must be positive, for "
					+ "example 512KB");
		}
		return value;
	}

	private static Duration positive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The duration must be positive, for "
					+ "example 7d or 1h");
		}
		return value;
	}

}
