package dev.outbox.starter.write;

import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Name of one of the starter's tables (the outbox table, the inbox table), optionally
 * qualified by a schema: {@code outbox_event} or {@code public.outbox_event}.
 * <p>
 * Only unquoted lower-case PostgreSQL identifiers are accepted (letters, digits and
 * underscores, not starting with a digit, at most 63 characters). The name is written into
 * SQL text as is, so this check is what keeps it safe, and lower case means the name in the
 * catalog, in the WAL and in configuration is the same string.
 */
public final class OutboxTable {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private final @Nullable String schema;

	private final String name;

	private OutboxTable(@Nullable String schema, String name) {
		this.schema = schema;
		this.name = name;
	}

	/**
	 * Parse a table name.
	 * @param qualifiedName {@code table} or {@code schema.table}
	 * @return the table
	 * @throws IllegalArgumentException if the name is not one or two lower-case identifiers
	 */
	public static OutboxTable parse(String qualifiedName) {
		String[] parts = qualifiedName.split("\\.", -1);
		boolean valid = parts.length <= 2;
		for (String part : parts) {
			valid = valid && IDENTIFIER.matcher(part).matches();
		}
		if (!valid) {
			throw new IllegalArgumentException("'" + qualifiedName + "' is not a table name of the form 'table' or "
					+ "'schema.table' made of unquoted lower-case identifiers ([a-z_][a-z0-9_]*, at most 63 characters "
					+ "each), for example 'public.outbox_event'");
		}
		return (parts.length == 2) ? new OutboxTable(parts[0], parts[1]) : new OutboxTable(null, parts[0]);
	}

	/**
	 * The schema, if the name is qualified.
	 * @return the schema
	 */
	public Optional<String> schema() {
		return Optional.ofNullable(this.schema);
	}

	/**
	 * The table name without schema.
	 * @return the table name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The name as used in SQL: {@code schema.table} or {@code table}.
	 * @return the qualified name
	 */
	public String qualifiedName() {
		return (this.schema != null) ? this.schema + "." + this.name : this.name;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return (obj instanceof OutboxTable other) && qualifiedName().equals(other.qualifiedName());
	}

	@Override
	public int hashCode() {
		return qualifiedName().hashCode();
	}

	@Override
	public String toString() {
		return qualifiedName();
	}

}
