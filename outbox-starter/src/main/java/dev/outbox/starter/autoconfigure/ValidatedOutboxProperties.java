package dev.outbox.starter.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.outbox.contract.TableName;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.starter.contract.CompatibilityMode;
import dev.outbox.starter.write.OutboxWriteMode;

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

	static TableName eventSchemaTable(OutboxProperties properties) {
		String table = properties.getContract().getRegistry().getTable();
		if (table == null) {
			return OutboxSchemaMigration.defaultEventSchemaTable(table(properties));
		}
		try {
			return TableName.parse(table, "outbox.contract.registry.table");
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("outbox.contract.registry.table", table,
					ex.getMessage());
		}
	}

	static CompatibilityMode compatibility(OutboxProperties properties) {
		CompatibilityMode mode = properties.getContract().getCompatibility();
		if (mode == null) {
			throw new InvalidConfigurationPropertyValueException("outbox.contract.compatibility", null,
					"Set the mode to none, backward, backward-transitive, forward (the default), forward-transitive, "
							+ "full or full-transitive");
		}
		return mode;
	}

	static Map<String, CompatibilityMode> compatibilityOverrides(OutboxProperties properties) {
		Map<String, CompatibilityMode> overrides = properties.getContract().getCompatibilityOverrides();
		for (Map.Entry<String, CompatibilityMode> override : overrides.entrySet()) {
			if (override.getValue() == null) {
				throw new InvalidConfigurationPropertyValueException(
						"outbox.contract.compatibility-overrides[" + override.getKey() + "]", null,
						"Set the mode of this event type to none, backward, backward-transitive, forward, "
								+ "forward-transitive, full or full-transitive, or remove the entry");
			}
		}
		return Map.copyOf(overrides);
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

	static OutboxWriteMode writeMode(OutboxProperties properties) {
		OutboxWriteMode mode = properties.getWriteMode();
		if (mode == null) {
			throw new InvalidConfigurationPropertyValueException("outbox.write-mode", null,
					"Set the write mode to table (the default), message or retain");
		}
		return mode;
	}

	static Duration retainRetention(OutboxProperties properties) {
		return positive("outbox.retain.retention", properties.getRetain().getRetention());
	}

	static Duration retainPurgeInterval(OutboxProperties properties) {
		return positive("outbox.retain.purge-interval", properties.getRetain().getPurgeInterval());
	}

	static int retainPurgeBatchSize(OutboxProperties properties) {
		int batchSize = properties.getRetain().getPurgeBatchSize();
		if (batchSize < 1) {
			throw new InvalidConfigurationPropertyValueException("outbox.retain.purge-batch-size", batchSize,
					"The batch size must be at least 1 (the default is 5000)");
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
