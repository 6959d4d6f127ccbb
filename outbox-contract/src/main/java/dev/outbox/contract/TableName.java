package dev.outbox.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A table of the outbox contract, as configured: {@code outbox.table} and {@code outbox.inbox.table}
 * in the starter, {@code outbox.relay.table} in the relay. Both sides parse the setting here, so one
 * value names the same table on both.
 * <p>
 * The accepted form, and why each edge is where it is:
 * <ul>
 * <li>{@code schema.table} or {@code table}; an unqualified name is in schema {@code public}, not
 * wherever a connection's {@code search_path} points: the relay reads the WAL, whose Relation
 * messages name the schema, and a connection's search path is not the writer's.</li>
 * <li>Each part an unquoted identifier: a letter or {@code _}, then letters, digits or {@code _}, at
 * most 63 characters (PostgreSQL's {@code NAMEDATALEN - 1}; longer names are truncated by the
 * server, so they would not match). No {@code $}, which PostgreSQL allows but the SQL standard does
 * not.</li>
 * <li>Lower case only: PostgreSQL folds unquoted names to lower case, so {@code Outbox} would
 * silently be {@code outbox}, and a table created quoted as {@code "Outbox"} would be another table.
 * Refused, with the lower-case form as the fix.</li>
 * <li>No quotes, no empty part ({@code public.}, {@code .outbox}), no third part.</li>
 * <li>Leading and trailing whitespace is ignored (a trailing blank in a properties file);
 * whitespace inside is refused.</li>
 * </ul>
 * The name goes into SQL text as is; this check is what keeps that safe.
 *
 * @param schema the schema, lower case
 * @param table the table, lower case
 */
public record TableName(String schema, String table) {

	/** Schema of a name given without one. */
	public static final String DEFAULT_SCHEMA = "public";

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	/**
	 * @param schema the schema, an unquoted lower-case identifier
	 * @param table the table, an unquoted lower-case identifier
	 * @throws IllegalArgumentException when either is not
	 */
	public TableName {
		if (!IDENTIFIER.matcher(schema).matches() || !IDENTIFIER.matcher(table).matches()) {
			throw new IllegalArgumentException("'" + schema + "." + table + "' is not made of unquoted lower-case "
					+ "identifiers");
		}
	}

	/**
	 * Parses {@code schema.table} or {@code table} (schema {@value #DEFAULT_SCHEMA}).
	 * @param value the configured value
	 * @param settingName the setting it came from, named in the error
	 * @return the table name
	 * @throws IllegalArgumentException naming the setting, the value and the fix when the value is
	 * not one or two unquoted lower-case identifiers
	 */
	public static TableName parse(String value, String settingName) {
		String trimmed = value.strip();
		String[] parts = trimmed.split("\\.", -1);
		if (parts.length > 2) {
			throw invalid(value, settingName, "it has more than two parts");
		}
		for (String part : parts) {
			if (part.isEmpty()) {
				throw invalid(value, settingName, "a part is empty");
			}
			if (part.length() > 63) {
				throw invalid(value, settingName, "'" + part + "' is longer than PostgreSQL's 63 characters");
			}
			if (!IDENTIFIER.matcher(part).matches()) {
				String lower = part.toLowerCase(Locale.ROOT);
				if (!lower.equals(part) && IDENTIFIER.matcher(lower).matches()) {
					throw invalid(value, settingName, "'" + part + "' is not lower case (write "
							+ trimmed.toLowerCase(Locale.ROOT) + "; a quoted mixed-case table is not supported)");
				}
				throw invalid(value, settingName, "'" + part + "' is not an unquoted identifier");
			}
		}
		return (parts.length == 2) ? new TableName(parts[0], parts[1]) : new TableName(DEFAULT_SCHEMA, parts[0]);
	}

	private static IllegalArgumentException invalid(String value, String settingName, String why) {
		return new IllegalArgumentException(settingName + "='" + value + "' is not a table identifier: " + why
				+ "; use schema.table or table (schema public), each an unquoted lower-case identifier of letters, "
				+ "digits and '_' of at most 63 characters, for example public.outbox_event");
	}

	/** @return {@code schema.table}, ready for SQL */
	public String qualified() {
		return this.schema + "." + this.table;
	}

	@Override
	public String toString() {
		return qualified();
	}

}
