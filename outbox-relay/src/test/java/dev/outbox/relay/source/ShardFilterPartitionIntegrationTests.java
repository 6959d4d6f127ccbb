package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shard filters, evaluated by PostgreSQL itself, partition every aggregate id: each key is in
 * exactly one of the N shards, including a key whose {@code hashtext} is -2147483648, on which
 * {@code abs(hashtext(aggregate_id))} fails.
 */
@PostgresTest
class ShardFilterPartitionIntegrationTests {

	/** Found by searching PostgreSQL's hash function (hash_bytes) for this value. */
	private static final String KEY_HASHING_TO_INT_MIN = "agg-SeEQQA";

	@Test
	void everyKeyIsInExactlyOneShardForEveryCount(TestDatabase database) throws SQLException {
		for (int count : new int[] { 2, 3, 4, 8 }) {
			String keys = "(SELECT 'order-' || g AS aggregate_id FROM generate_series(1, 20000) g "
					+ "UNION ALL SELECT '" + KEY_HASHING_TO_INT_MIN + "' UNION ALL SELECT '') keys";
			assertThat(query(database, "SELECT count(*) FROM " + keys + " WHERE " + shardsMatching(count, null) + " <> 1"))
				.as("keys in no shard or in several, of " + count).isEqualTo("0");
			List<String> sizes = new ArrayList<>();
			for (int index = 0; index < count; index++) {
				sizes.add(query(database, "SELECT count(*) FROM " + keys + " WHERE "
						+ new Shard(index, count, "s", "p", "x").rowFilter()));
			}
			assertThat(sizes).as("every shard of " + count + " gets keys").doesNotContain("0");
		}
	}

	@Test
	void theHashMinusTwoToTheThirtyFirstHasAShardWhereAbsWouldFail(TestDatabase database) throws SQLException {
		assertThat(query(database, "SELECT hashtext('" + KEY_HASHING_TO_INT_MIN + "')")).isEqualTo("-2147483648");
		assertThatThrownBy(() -> query(database, "SELECT abs(hashtext('" + KEY_HASHING_TO_INT_MIN + "'))"))
			.hasMessageContaining("integer out of range");
		for (int count : new int[] { 2, 3, 4, 8 }) {
			assertThat(query(database, "SELECT " + shardsMatching(count, "(-2147483648)::int4")))
				.as("shards of the hash -2^31 among " + count).isEqualTo("1");
			assertThat(query(database, "SELECT " + shardsMatching(count, null) + " FROM (SELECT '"
					+ KEY_HASHING_TO_INT_MIN + "'::varchar AS aggregate_id) key"))
				.as("shards of " + KEY_HASHING_TO_INT_MIN + " among " + count).isEqualTo("1");
		}
	}

	/**
	 * Why the mask: with {@code abs}, the INSERT of such a key commits, but decoding it fails, at
	 * every attempt, so the slot can never pass that event.
	 */
	@Test
	void anAbsFilterStopsDecodingForGoodAtAKeyHashingToMinusTwoToTheThirtyFirst(TestDatabase database)
			throws Exception {
		String table = database.uniqueName("abs_outbox");
		String slot = database.uniqueName("abs_slot");
		String contract = java.nio.file.Files.readString(java.nio.file.Path.of("..", "db", "migration",
				"V1__outbox_event.sql"));
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute(contract.replace("${outbox_table}", table));
			statement.execute("CREATE PUBLICATION " + slot + " FOR TABLE " + table
					+ " WHERE (abs(hashtext(aggregate_id)) % 2 = 0) WITH (publish = 'insert')");
			statement.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
			try {
				statement.execute("INSERT INTO " + table + " (id, aggregate_type, aggregate_id, event_type, payload) "
						+ "VALUES (gen_random_uuid(), 'order', '" + KEY_HASHING_TO_INT_MIN + "', 'Placed', '{}')");
				String decode = "SELECT count(*) FROM pg_logical_slot_get_binary_changes('" + slot + "', NULL, NULL, "
						+ "'proto_version', '1', 'publication_names', '" + slot + "')";
				for (int attempt = 0; attempt < 2; attempt++) {
					assertThatThrownBy(() -> query(database, decode)).hasMessageContaining("integer out of range");
				}
			}
			finally {
				statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
				statement.execute("DROP PUBLICATION " + slot);
			}
		}
	}

	/** An SQL expression counting the shards of {@code count} whose filter holds. */
	private static String shardsMatching(int count, String hash) {
		List<String> terms = new ArrayList<>();
		for (int index = 0; index < count; index++) {
			Shard shard = new Shard(index, count, "s", "p", "x");
			terms.add("(" + ((hash != null) ? shard.rowFilter(hash) : shard.rowFilter()) + ")::int");
		}
		return "(" + String.join(" + ", terms) + ")";
	}

	private static String query(TestDatabase database, String sql) throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(sql)) {
			row.next();
			return row.getString(1);
		}
	}

}
