package dev.outbox.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failover rig: a standby built by file copy streams the primary's writes, holds a copy of a
 * failover slot (PostgreSQL 17 and later), and once the primary is killed and it is promoted,
 * accepts writes, keeps that slot, and is the server a multi-host URL reaches.
 */
@Tag("pg-versions")
class PrimaryAndStandbyIntegrationTests {

	@Test
	void standbyStreamsThePrimaryKeepsItsFailoverSlotAndTakesOverWhenPromoted() throws SQLException {
		try (PrimaryAndStandby pair = PrimaryAndStandby.start("rig", Map.of())) {
			pair.primary().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
			await().atMost(Duration.ofSeconds(30)).until(() -> count(pair.standby(), "SELECT count(*) FROM t") == 1);
			assertThat(count(pair.standby(), "SELECT pg_is_in_recovery()::int")).isEqualTo(1);
			if (pair.failoverSlots()) {
				pair.primary().execute("SELECT pg_create_logical_replication_slot('rig_slot', 'pgoutput', "
						+ "failover => true)");
				String confirmed = string(pair.primary(),
						"SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'rig_slot'");
				pair.awaitStandbySlot("rig_slot", confirmed, Duration.ofSeconds(60));
			}

			pair.failOver();

			pair.standby().execute("INSERT INTO t VALUES (2)");
			assertThat(count(pair.standby(), "SELECT count(*) FROM t")).isEqualTo(2);
			assertThat(count(pair.standby(), "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'rig_slot'"))
				.isEqualTo(pair.failoverSlots() ? 1 : 0);
			try (Connection connection = java.sql.DriverManager.getConnection(pair.multiHostJdbcUrl("postgres"),
					"postgres", "")) {
				assertThat(connection.getMetaData().getURL()).isNotNull();
				try (Statement statement = connection.createStatement();
						ResultSet row = statement.executeQuery("SELECT current_setting('port')")) {
					row.next();
					assertThat(row.getInt(1)).isEqualTo(pair.standby().port());
				}
			}
		}
	}

	private static int count(ThrowawayPostgres cluster, String sql) throws SQLException {
		return Integer.parseInt(string(cluster, sql));
	}

	private static String string(ThrowawayPostgres cluster, String sql) throws SQLException {
		try (Connection connection = cluster.connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(sql)) {
			row.next();
			return row.getString(1);
		}
	}

}
