package dev.outbox.starter.write;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link OutboxTable}: accepts plain lower-case identifiers only, since the name is written
 * into SQL as is.
 */
class OutboxTableUnitTests {

	@Test
	void qualifiedNameHasSchemaAndTable() {
		OutboxTable table = OutboxTable.parse("public.outbox_event");

		assertThat(table.schema()).contains("public");
		assertThat(table.name()).isEqualTo("outbox_event");
		assertThat(table.qualifiedName()).isEqualTo("public.outbox_event");
	}

	@Test
	void unqualifiedNameHasNoSchema() {
		OutboxTable table = OutboxTable.parse("outbox_event");

		assertThat(table.schema()).isEmpty();
		assertThat(table.qualifiedName()).isEqualTo("outbox_event");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Outbox", "a.b.c", "public.", ".outbox", "outbox event", "outbox;drop table x",
			"\"quoted\"", "1outbox", "a234567890123456789012345678901234567890123456789012345678901234" })
	void nameThatIsNotOneOrTwoLowerCaseIdentifiersIsRejectedWithTheExpectedForm(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> OutboxTable.parse(name))
			.withMessageContaining("'" + name + "' is not a table name")
			.withMessageContaining("for example 'public.outbox_event'");
	}

}
