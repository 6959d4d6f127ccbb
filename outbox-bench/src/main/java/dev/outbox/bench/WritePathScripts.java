package dev.outbox.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.outbox.contract.EventMessage;

/**
 * The pgbench scripts of (e): the JPA application's business transaction (an order row and two
 * lines, each line's key coming back as with Hibernate's identity columns), then each variant's
 * events written with the statements the starter runs in that mode, then COMMIT.
 * <ul>
 * <li>{@code table}: the starter's INSERT from arrays {@code WITH ORDINALITY ... RETURNING ctid},
 * then the DELETE of those ctids;</li>
 * <li>{@code message}: one {@code SELECT pg_logical_emit_message(true, :prefix, m.content::text)
 * FROM json_array_elements(:contents::json) WITH ORDINALITY ...} for all the transaction's events, as the
 * starter's {@code EventMessageBatch}, and for a single event its plain
 * {@code SELECT pg_logical_emit_message(true, :prefix, :content)}; prefix
 * {@code outbox:public.outbox_event} and contents both
 * parameters (a prefix written into the script would be read as a pgbench variable
 * {@code :public}), with contract-shaped contents
 * ({@link MessageContent}) carrying the JPA application's payload and headers;</li>
 * <li>{@code retain}: the INSERT alone, into {@value #RETAIN_TABLE} (its own table, with the
 * purge's {@code created_at} index, as the JPA application's retain context has it).</li>
 * </ul>
 * The arrays are built in SQL from the pgbench variables (ids by {@code gen_random_uuid()}, the
 * rest by {@code array_fill}) where the starter sends them as parameters; the statements the
 * server plans and executes are the same. The message contents are fixed texts (same id each
 * time), which changes nothing for the WAL or the server's work.
 */
public final class WritePathScripts {

	/** The table of the table mode (and the name behind the message prefix). */
	public static final String TABLE = "outbox_event";

	/** The table of the retain mode. */
	public static final String RETAIN_TABLE = "outbox_retained";

	private static final String ORDER_AND_LINES = """
			BEGIN;
			INSERT INTO bench_order (id, customer_id, status, currency, total, created_at, version) \
			VALUES (gen_random_uuid(), 'customer-1', 'PLACED', 'EUR', 37.50, now(), 0) RETURNING id AS order_id \\gset
			INSERT INTO bench_order_line (order_id, line_no, sku, quantity, unit_price) \
			VALUES (:order_id::uuid, 1, 'BOOK-1', 2, 12.50) RETURNING id AS line_1 \\gset
			INSERT INTO bench_order_line (order_id, line_no, sku, quantity, unit_price) \
			VALUES (:order_id::uuid, 2, 'PEN-7', 5, 2.50) RETURNING id AS line_2 \\gset
			""";

	private WritePathScripts() {
	}

	/**
	 * The script of one variant.
	 * @param variant the variant
	 * @param withHeaders whether the events carry headers (the {@code headers} variable)
	 * @return the script: BEGIN, the order and its lines, the events, COMMIT
	 */
	public static String script(WritePathVariant variant, boolean withHeaders) {
		WriteMode mode = variant.mode();
		String events = (mode == null) ? "" : switch (mode) {
			case TABLE -> "WITH written AS (" + insert(TABLE, variant.events(), withHeaders)
					+ ") SELECT array_agg(ctid)::text AS ctids FROM written \\gset\n"
					+ "DELETE FROM " + TABLE + " WHERE ctid = ANY (:ctids::tid[]);\n";
			case MESSAGE -> (variant.events() == 1)
					? "SELECT pg_catalog.pg_logical_emit_message(true, :prefix, :content);\n"
					: "SELECT pg_catalog.pg_logical_emit_message(true, :prefix, m.content::text) FROM "
							+ "pg_catalog.json_array_elements(:contents_" + variant.events()
							+ "::json) WITH ORDINALITY AS m(content, ord) ORDER BY m.ord;\n";
			case RETAIN -> insert(RETAIN_TABLE, variant.events(), withHeaders) + ";\n";
		};
		return ORDER_AND_LINES + events + "COMMIT;\n";
	}

	private static String insert(String table, int events, boolean withHeaders) {
		String n = "ARRAY[" + events + "]";
		return "INSERT INTO " + table + " (id, aggregate_type, aggregate_id, event_type, payload, headers) "
				+ "SELECT e.id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload::jsonb, e.headers::jsonb "
				+ "FROM unnest(ARRAY(SELECT gen_random_uuid() FROM generate_series(1, " + events + ")), "
				+ "array_fill('order'::varchar, " + n + "), array_fill(:order_id::varchar, " + n + "), "
				+ "array_fill('OrderPlaced'::varchar, " + n + "), array_fill(:payload::text, " + n + "), "
				+ "array_fill(" + (withHeaders ? ":headers::text" : "NULL::text") + ", " + n + ")) "
				+ "WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, event_type, payload, headers, ord) "
				+ "ORDER BY e.ord RETURNING ctid";
	}

	/**
	 * The pgbench variables every script may use: {@code prefix}, {@code payload}, {@code headers}
	 * (when there are), {@code contents_1} / {@code contents_10}, the message contents of a transaction
	 * of 1 and of 10 events as JSON arrays, and {@code content}, the one of 1 event as text, with
	 * the JPA application's event types
	 * ({@code OrderPlaced}, {@code OrderPlaced.1} to {@code .10}).
	 * @param payload the event payload, JSON
	 * @param headers the event headers, a JSON object, or {@code null}
	 * @return variable name to value
	 */
	public static Map<String, String> variables(String payload, @Nullable String headers) {
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("prefix", MessageContent.PREFIX);
		variables.put("payload", payload);
		if (headers != null) {
			variables.put("headers", headers);
		}
		String orderId = "0190d7a4-6b1e-7c3a-9f00-5a1b2c3d4e5f";
		for (int events : WritePathVariant.EVENT_COUNTS) {
			List<String> contents = new ArrayList<>();
			for (int i = 1; i <= events; i++) {
				String id = String.format(Locale.ROOT, "0190d7a4-6b1e-7c3a-9f00-%012d", i);
				contents.add(MessageContent.of(id, "order", orderId, (events == 1) ? "OrderPlaced" : "OrderPlaced." + i,
						payload, headers));
			}
			variables.put("contents_" + events, EventMessage.contentArray(contents));
			if (events == 1) {
				variables.put("content", contents.get(0));
			}
		}
		return variables;
	}

}
