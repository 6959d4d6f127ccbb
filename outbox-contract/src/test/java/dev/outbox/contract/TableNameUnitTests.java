package dev.outbox.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link TableName}: the one parser of {@code outbox.table}, {@code outbox.inbox.table} and
 * {@code outbox.relay.table}, at each edge where the starter's and the relay's copies disagreed.
 */
class TableNameUnitTests {

	private static final String MAX = "a23456789012345678901234567890123456789012345678901234567890123";

	@ParameterizedTest(name = "''{0}'' -> {1}.{2}")
	@CsvSource(delimiter = '|', value = { "public.outbox_event | public | outbox_event",
			"outbox_event | public | outbox_event", "events.my_outbox | events | my_outbox",
			"'  public.outbox_event ' | public | outbox_event", "_x._y1 | _x | _y1",
			MAX + "." + MAX + " | " + MAX + " | " + MAX })
	void acceptedNames(String value, String schema, String table) {
		TableName name = TableName.parse(value, "outbox.table");

		assertThat(name.schema()).isEqualTo(schema);
		assertThat(name.table()).isEqualTo(table);
		assertThat(name.qualified()).isEqualTo(schema + "." + table);
	}

	@Test
	void unqualifiedNameIsInSchemaPublicNotTheSearchPath() {
		assertThat(TableName.parse("outbox_event", "outbox.relay.table")).isEqualTo(TableName.parse("public.outbox_event",
				"outbox.table"));
	}

	@ParameterizedTest(name = "''{0}''")
	@ValueSource(strings = { "", " ", "a.b.c", "public.", ".outbox", ".", "outbox event", "public. outbox",
			"outbox;drop table x", "public.bad-name;drop", "\"quoted\"", "public.\"Outbox\"", "1outbox",
			"public.1outbox", "outbox$event", "Outbox", "public.Outbox_Event", "PUBLIC.outbox_event",
			MAX + "4", "public." + MAX + "4", "outbøx" })
	void rejectedNamesNameTheSettingTheValueAndTheForm(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> TableName.parse(value, "outbox.inbox.table"))
			.withMessageContaining("outbox.inbox.table='" + value + "'")
			.withMessageContaining("use schema.table")
			.withMessageContaining("for example public.outbox_event");
	}

	@Test
	void upperCaseIsRefusedWithTheLowerCaseFormAsTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> TableName.parse("Public.Outbox_Event", "outbox.table"))
			.withMessageContaining("write public.outbox_event");
	}

	@Test
	void tooLongPartIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> TableName.parse(MAX + "4", "outbox.table"))
			.withMessageContaining("longer than PostgreSQL's 63 characters");
	}

	@Test
	void constructedNameIsCheckedToo() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TableName("public", "x;drop"));
	}

}
