package dev.outbox.relay.source;

import java.util.regex.Pattern;

/**
 * A validated {@code schema.table} name, from {@code outbox.relay.table}.
 * <p>
 * Only plain (unquoted) identifiers are accepted, which PostgreSQL folds to lower case; that keeps
 * the name safe to put into DDL and equal to what pgoutput's Relation messages report.
 *
 * @param schema the schema, lower case
 * @param table the table, lower case
 */
public record TableName(String schema, String table) {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

	/**
	 * Parses {@code schema.table} or {@code table} (schema {@code public}).
	 * @param text the configured value
	 * @param property the property it came from, for the error message
	 * @return the table name
	 * @throws IllegalArgumentException naming the property and the fix when the text is not a
	 * plain identifier
	 */
	public static TableName parse(String text, String property) {
		String trimmed = text.trim().toLowerCase(java.util.Locale.ROOT);
		String[] parts = trimmed.split("\\.", -1);
		if (parts.length > 2 || parts.length == 0) {
			throw invalid(text, property);
		}
		String schema = (parts.length == 2) ? parts[0] : "public";
		String table = parts[parts.length - 1];
		if (!IDENTIFIER.matcher(schema).matches() || !IDENTIFIER.matcher(table).matches()) {
			throw invalid(text, property);
		}
		return new TableName(schema, table);
	}

	private static IllegalArgumentException invalid(String text, String property) {
		return new IllegalArgumentException(property + "='" + text
				+ "' is not a table identifier; use schema.table or table with letters, digits and '_' "
				+ "(for example public.outbox_event)");
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
