package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.outbox.contract.SlotHealthRule;
import dev.outbox.contract.SlotInvalidation;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import dev.outbox.testsupport.ThrowawayPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The slot's invalidation cause ({@link SlotHealthRule#INVALIDATION_SQL}) as {@link SlotStatus}
 * reads it from a real server, whichever of PostgreSQL 15 to 18 the rig runs ({@code
 * OUTBOX_PG_VERSION}): their {@code pg_replication_slots} columns differ, and on 16
 * {@code conflicting} is true for a slot that merely lost its WAL.
 */
@PostgresTest
@Tag("pg-versions")
class SlotInvalidationCauseIntegrationTests {

	@Test
	void validSlotReadsAsValidOnEveryVersion(TestDatabase database) throws SQLException {
		String slot = database.uniqueName("valid_slot");
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
			try {
				SlotStatus status = SlotStatus.read(connection, slot);

				assertThat(status).isNotNull();
				assertThat(status.walStatus()).isEqualTo("reserved");
				assertThat(status.invalidationCause()).isNull();
				assertThat(status.invalidation()).isNull();
				assertThat(status.isLost()).isFalse();
			}
			finally {
				statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
			}
		}
	}

	@Test
	void slotThatLostItsWalReadsWalRemovedOnEveryVersion() throws SQLException {
		// A tiny max_slot_wal_keep_size would invalidate other tests' slots: a cluster of our own.
		try (ThrowawayPostgres cluster = ThrowawayPostgres.start("slot-wal-removed",
				Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1MB", "max_replication_slots", "4",
						"max_wal_senders", "4"))) {
			cluster.execute("CREATE TABLE churn (id bigserial PRIMARY KEY, note text)");
			cluster.execute("SELECT pg_create_logical_replication_slot('removed', 'pgoutput')");
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				cluster.execute("INSERT INTO churn (note) SELECT repeat('x', 100) FROM generate_series(1, 1000); "
						+ "SELECT pg_switch_wal(); CHECKPOINT;");
				SlotStatus status = read(cluster, "removed");
				if (status.invalidationCause() == null) {
					return false;
				}
				// Read at once: 16 says conflicting=true, and may still say wal_status=unreserved
				// (the segments not yet removed); it must not read as a recovery conflict.
				assertThat(status.invalidation())
					.as("cause read on PostgreSQL %d with wal_status=%s", majorVersion(cluster), status.walStatus())
					.isEqualTo(SlotInvalidation.WAL_REMOVED);
				return true;
			});

			await().atMost(Duration.ofSeconds(30)).until(() -> {
				cluster.execute("CHECKPOINT");
				return "lost".equals(read(cluster, "removed").walStatus());
			});
			assertThat(read(cluster, "removed").invalidation()).isEqualTo(SlotInvalidation.WAL_REMOVED);
		}
	}

	@Test
	void inactiveSlotPastIdleReplicationSlotTimeoutReadsIdleTimeoutFrom18AndStaysValidBefore() throws SQLException {
		// A timeout of a second would invalidate other tests' slots: a cluster of our own.
		try (ThrowawayPostgres cluster = ThrowawayPostgres.start("slot-idle",
				Map.of("wal_level", "logical", "max_replication_slots", "4", "max_wal_senders", "4"))) {
			int version = majorVersion(cluster);
			if (version >= 18) {
				cluster.execute("ALTER SYSTEM SET idle_replication_slot_timeout = '1s'");
				cluster.execute("SELECT pg_reload_conf()");
			}
			cluster.execute("SELECT pg_create_logical_replication_slot('idle', 'pgoutput')");
			if (version >= 18) {
				// the timeout is checked at checkpoints
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
					cluster.execute("CHECKPOINT");
					return read(cluster, "idle").isLost();
				});
				SlotStatus status = read(cluster, "idle");

				assertThat(status.invalidationCause()).isEqualTo("idle_timeout");
				assertThat(status.invalidation()).isEqualTo(SlotInvalidation.IDLE_TIMEOUT);
				// 18.7 reports an idle-timed-out slot as lost too
				assertThat(status.walStatus()).isEqualTo("lost");
				assertThat(ReplicationSetup.lostMessage("idle", status.invalidation()))
					.contains("cause idle_timeout")
					.contains("idle_replication_slot_timeout");
			}
			else {
				// before 18 there is no idle timeout: however long inactive, the slot stays valid
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
					cluster.execute("CHECKPOINT");
					return !read(cluster, "idle").isLost();
				});
				assertThat(read(cluster, "idle").invalidation()).isNull();
			}
		}
	}

	private static SlotStatus read(ThrowawayPostgres cluster, String slot) throws SQLException {
		try (Connection connection = cluster.connect()) {
			SlotStatus status = SlotStatus.read(connection, slot);
			assertThat(status).as("slot %s", slot).isNotNull();
			return status;
		}
	}

	private static int majorVersion(ThrowawayPostgres cluster) throws SQLException {
		try (Connection connection = cluster.connect()) {
			return majorVersion(connection);
		}
	}

	private static int majorVersion(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SHOW server_version_num")) {
			row.next();
			return Integer.parseInt(row.getString(1)) / 10000;
		}
	}

}
