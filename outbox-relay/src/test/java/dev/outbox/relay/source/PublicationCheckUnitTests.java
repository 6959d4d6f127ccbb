package dev.outbox.relay.source;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.outbox.contract.TableName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publication must send every outbox INSERT whole; anything else it does costs decoding only.
 */
class PublicationCheckUnitTests {

	private static final TableName TABLE = new TableName("public", "outbox_event");

	private static final List<String> ALL_COLUMNS = List.of("id", "aggregate_type", "aggregate_id", "event_type",
			"payload", "headers", "created_at");

	@Test
	void publicationAsTheRelayCreatesItPasses() {
		assertThat(check(List.of("insert"), true, null, ALL_COLUMNS).problem()).isNull();
	}

	@Test
	void otherOperationsExtraColumnsAndNoCatalogColumnsBeforePostgres15Pass() {
		List<String> more = new java.util.ArrayList<>(ALL_COLUMNS);
		more.add("tenant");
		assertThat(check(List.of("insert", "update", "delete", "truncate"), true, null, more).problem()).isNull();
		assertThat(check(List.of("insert"), true, null, null).problem()).isNull();
	}

	@Test
	void publicationWithoutInsertsIsRefusedWithTheAlterThatFixesIt() {
		assertThat(check(List.of("update", "delete"), true, null, ALL_COLUMNS).problem())
			.startsWith("Publication outbox_pub (outbox.relay.publication-name) does not publish INSERTs "
					+ "(publish = 'update, delete')")
			.contains("ALTER PUBLICATION \"outbox_pub\" SET (publish = 'insert')")
			.contains("CREATE PUBLICATION \"outbox_pub\" FOR TABLE public.outbox_event WITH (publish = 'insert')")
			.contains("Events written before the fix stay unpublished");
	}

	@Test
	void publicationWithoutTheTableIsRefusedWithTheAddTable() {
		assertThat(check(List.of("insert"), false, null, null).problem())
			.isEqualTo("Publication outbox_pub (outbox.relay.publication-name) does not include public.outbox_event. "
					+ "Add it: ALTER PUBLICATION \"outbox_pub\" ADD TABLE public.outbox_event");
	}

	@Test
	void rowFilterIsRefusedNamingItAndTheSetTableThatRemovesIt() {
		assertThat(check(List.of("insert"), true, "(aggregate_type <> 'x'::text)", ALL_COLUMNS).problem())
			.contains("has a row filter on public.outbox_event (WHERE (aggregate_type <> 'x'::text))")
			.contains("ALTER PUBLICATION \"outbox_pub\" SET TABLE public.outbox_event");
	}

	@Test
	void columnListWithoutContractColumnsIsRefusedNamingEachMissingOne() {
		assertThat(check(List.of("insert"), true, null, List.of("id", "aggregate_type", "aggregate_id", "payload",
				"created_at"))
			.problem()).contains("publishes only some columns of public.outbox_event, without [event_type, headers]")
			.contains("ALTER PUBLICATION \"outbox_pub\" SET TABLE public.outbox_event");
	}

	private static PublicationCheck check(List<String> publishes, boolean includesTable, @Nullable String rowFilter,
			@Nullable List<String> columns) {
		return new PublicationCheck("outbox_pub", TABLE, publishes, includesTable, rowFilter, columns);
	}

}
