package dev.outbox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.contract.EventMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WritePathScriptsUnitTests {

	private static final String PAYLOAD = "{\"orderId\":\"4f1c\",\"note\":\"ring \\\"twice\\\"\"}";

	@Test
	void aRoundRunsNoEventFirstThenEachModeWithOneAndTenEvents() {
		assertThat(WritePathVariant.all()).extracting(WritePathVariant::label)
			.containsExactly("no event", "table, 1 event", "table, 10 events", "message, 1 event", "message, 10 events",
					"retain, 1 event", "retain, 10 events");
		assertThatIllegalArgumentException().isThrownBy(() -> new WritePathVariant(WriteMode.TABLE, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new WritePathVariant(null, 1));
	}

	@Test
	void everyVariantWritesTheSameOrderAndLinesInOneTransactionAndOnlyTheEventsDiffer() {
		String alone = WritePathScripts.script(WritePathVariant.NONE, false);
		assertThat(alone).startsWith("BEGIN;\n").endsWith("COMMIT;\n").contains("INSERT INTO bench_order ");
		assertThat(alone.split("INSERT INTO bench_order_line ", -1)).hasSize(3);
		for (WritePathVariant variant : WritePathVariant.all()) {
			assertThat(WritePathScripts.script(variant, false)).startsWith(alone.replace("COMMIT;\n", ""))
				.endsWith("COMMIT;\n");
		}
	}

	@Test
	void tableModeInsertsFromArraysInOrderReturningCtidsAndDeletesExactlyThose() {
		String ten = WritePathScripts.script(new WritePathVariant(WriteMode.TABLE, 10), true);
		assertThat(ten).contains("WITH written AS (INSERT INTO outbox_event ", "generate_series(1, 10)",
				"array_fill(:payload::text, ARRAY[10])", "array_fill(:headers::text, ARRAY[10])",
				"WITH ORDINALITY AS e(", "ORDER BY e.ord RETURNING ctid) SELECT array_agg(ctid)::text AS ctids",
				"\\gset\nDELETE FROM outbox_event WHERE ctid = ANY (:ctids::tid[]);\n");
		assertThat(WritePathScripts.script(new WritePathVariant(WriteMode.TABLE, 1), false))
			.contains("ARRAY[1]", "array_fill(NULL::text, ARRAY[1])")
			.doesNotContain(":headers");
	}

	@Test
	void messageModeEmitsAllOfATransactionsMessagesInOneStatementUnderTheRealPrefix() {
		assertThat(WritePathScripts.script(new WritePathVariant(WriteMode.MESSAGE, 10), false)).contains(
				"SELECT pg_catalog.pg_logical_emit_message(true, :prefix, m.content::text) FROM "
						+ "pg_catalog.json_array_elements(:contents_10::json) WITH ORDINALITY AS m(content, ord) "
						+ "ORDER BY m.ord;\n")
			.doesNotContain("outbox_event (", "DELETE", "'outbox:");
		assertThat(WritePathScripts.variables("{}", null)).containsEntry("prefix", "outbox:public.outbox_event");
	}

	@Test
	void messageModeEmitsASingleEventWithoutAnArrayAsTheStarterDoes() {
		assertThat(WritePathScripts.script(new WritePathVariant(WriteMode.MESSAGE, 1), false))
			.contains("SELECT pg_catalog.pg_logical_emit_message(true, :prefix, :content);\n")
			.doesNotContain("unnest");
		Map<String, String> variables = WritePathScripts.variables(PAYLOAD, null);
		// the content itself, not an array literal holding it
		assertThat(variables.get("content")).startsWith("{\"id\":").contains("\"OrderPlaced\"");
	}

	@Test
	void retainModeInsertsIntoItsOwnTableAndDeletesNothing() {
		assertThat(WritePathScripts.script(new WritePathVariant(WriteMode.RETAIN, 10), false))
			.contains("INSERT INTO outbox_retained ", "RETURNING ctid;\n")
			.doesNotContain("DELETE", "\\gset\nDELETE");
	}

	@Test
	void theMessageContentsCarryTheContractsFieldsInTheStartersOrderWithTheSamplesPayloadAndHeaders() {
		JsonMapper json = JsonMapper.builder().build();
		String headers = "{\"traceparent\":\"00-0af7-01\"}";
		Map<String, String> variables = WritePathScripts.variables(PAYLOAD, headers);
		assertThat(variables).containsEntry("payload", PAYLOAD).containsEntry("headers", headers);
		String content = MessageContent.of("id-1", "order", "42", "OrderPlaced", PAYLOAD, headers);
		JsonNode node = json.readTree(content);
		// The bench's writers register no schema, so the optional schema_version is absent.
		List<String> written = new ArrayList<>(node.propertyNames());
		assertThat(written).containsAll(EventMessage.REQUIRED_FIELDS).contains(EventMessage.HEADERS)
			.doesNotContain(EventMessage.SCHEMA_VERSION);
		assertThat(EventMessage.FIELDS).containsSubsequence(written);
		assertThat(node.get(EventMessage.PAYLOAD)).isEqualTo(json.readTree(PAYLOAD));
		assertThat(node.get(EventMessage.HEADERS)).isEqualTo(json.readTree(headers));
		assertThat(json.readTree(variables.get("contents_1")).get(0).get(EventMessage.EVENT_TYPE).asString())
			.isEqualTo("OrderPlaced");
		JsonNode ten = json.readTree(variables.get("contents_10"));
		assertThat(ten.size()).isEqualTo(10);
		assertThat(ten.get(9).get(EventMessage.EVENT_TYPE).asString()).isEqualTo("OrderPlaced.10");
		assertThat(MessageContent.of("id-1", "order", "42", "OrderPlaced", PAYLOAD, null)).doesNotContain("headers");
		assertThat(WritePathScripts.variables(PAYLOAD, null)).doesNotContainKey("headers");
	}

	@Test
	void theContentsOfATransactionAreOneJsonArrayOfTheStartersContents() {
		Map<String, String> variables = WritePathScripts.variables(PAYLOAD, null);
		assertThat(variables.get("contents_10")).startsWith("[{\"id\":").endsWith("}]");
		assertThat(variables.get("contents_1")).isEqualTo("[" + variables.get("content") + "]");
	}

}
