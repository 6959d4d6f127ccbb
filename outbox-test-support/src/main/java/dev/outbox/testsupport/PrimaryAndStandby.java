package dev.outbox.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;

/**
 * A primary and a physical streaming standby of it, two {@link ThrowawayPostgres} clusters set up,
 * on PostgreSQL 17 and later, for failover slots: the standby synchronises the primary's failover
 * slots ({@code sync_replication_slots}), and the primary sends logical changes only once the
 * standby has flushed them ({@code synchronized_standby_slots} naming the standby's physical slot).
 * Before 17 ({@link #failoverSlots()} false), the standby streams the primary's WAL and nothing more.
 * <p>
 * The standby is built without {@code pg_basebackup}, which the binaries from Maven Central lack:
 * {@code pg_backup_start}, a file copy of the primary's data directory, {@code pg_backup_stop}
 * (whose label becomes the standby's {@code backup_label}), {@code standby.signal}, and
 * {@code primary_conninfo}/{@code primary_slot_name} pointing at a physical slot created on the
 * primary before the backup, which keeps the WAL the standby then streams.
 * <p>
 * {@link #failOver()} kills the primary ({@code pg_ctl stop -m immediate}) and promotes the
 * standby; {@link #multiHostJdbcUrl(String)} follows it.
 */
public final class PrimaryAndStandby implements AutoCloseable {

	/** The first PostgreSQL major version whose logical slots can follow a failover. */
	public static final int FAILOVER_SLOTS_SINCE = 17;

	/** The standby's physical slot on the primary, named in the primary's {@code synchronized_standby_slots}. */
	public static final String STANDBY_SLOT = "standby_1";

	/** What a file copy of a running data directory leaves out (as {@code pg_basebackup} does). */
	private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "pg_wal", "pg_replslot",
			"pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans", "backup_label",
			"tablespace_map");

	private final ThrowawayPostgres primary;

	private final ThrowawayPostgres standby;

	private final boolean failoverSlots;

	private PrimaryAndStandby(ThrowawayPostgres primary, ThrowawayPostgres standby, boolean failoverSlots) {
		this.primary = primary;
		this.standby = standby;
		this.failoverSlots = failoverSlots;
	}

	private static int majorVersion(ThrowawayPostgres cluster) {
		try (Connection connection = cluster.connect()) {
			return connection.getMetaData().getDatabaseMajorVersion();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read the version of " + cluster + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return whether the servers are PostgreSQL 17 or later, set up so that failover slots follow
	 * a failover; before 17 the standby is a plain streaming standby, and no logical slot follows
	 */
	public boolean failoverSlots() {
		return this.failoverSlots;
	}

	/**
	 * Starts the primary, backs it up into the standby's data directory and starts the standby,
	 * streaming from the primary through {@link #STANDBY_SLOT}.
	 * @param name readable part of the clusters' directory names
	 * @param settings further {@code postgresql.conf} settings of both
	 * @return the running pair
	 */
	public static PrimaryAndStandby start(String name, Map<String, String> settings) {
		Map<String, String> primarySettings = new LinkedHashMap<>();
		primarySettings.put("wal_level", "logical");
		primarySettings.put("max_replication_slots", "10");
		primarySettings.put("max_wal_senders", "10");
		primarySettings.put("hot_standby_feedback", "on");
		primarySettings.putAll(settings);
		ThrowawayPostgres primary = ThrowawayPostgres.start(name + "-primary", primarySettings);
		ThrowawayPostgres standby = null;
		try {
			primary.execute("SELECT pg_create_physical_replication_slot('" + STANDBY_SLOT + "', true)");
			boolean failoverSlots = majorVersion(primary) >= FAILOVER_SLOTS_SINCE;
			if (failoverSlots) {
				primary.execute("ALTER SYSTEM SET synchronized_standby_slots = '" + STANDBY_SLOT + "'");
				primary.execute("SELECT pg_reload_conf()");
			}
			standby = ThrowawayPostgres.create(name + "-standby");
			backUp(primary, standby);
			Map<String, String> standbySettings = new LinkedHashMap<>();
			standbySettings.put("primary_conninfo", "'host=127.0.0.1 port=" + primary.port()
					+ " user=postgres dbname=postgres application_name=" + STANDBY_SLOT + "'");
			standbySettings.put("primary_slot_name", "'" + STANDBY_SLOT + "'");
			standbySettings.put("hot_standby", "on");
			standbySettings.put("hot_standby_feedback", "on");
			if (failoverSlots) {
				standbySettings.put("sync_replication_slots", "on");
				// Promoted, it has no standby of its own to wait for.
				standbySettings.put("synchronized_standby_slots", "''");
			}
			standby.configure("postgresql.auto.conf", standbySettings);
			standby.writeDataFile("standby.signal", "");
			standby.start();
			return new PrimaryAndStandby(primary, standby, failoverSlots);
		}
		catch (IOException | RuntimeException ex) {
			if (standby != null) {
				standby.close();
			}
			primary.close();
			throw (ex instanceof IOException io) ? new UncheckedIOException(io) : (RuntimeException) ex;
		}
	}

	/**
	 * An online backup by file copy: between {@code pg_backup_start} and {@code pg_backup_stop} on
	 * one connection, with the label {@code pg_backup_stop} returns written as {@code backup_label}.
	 */
	private static void backUp(ThrowawayPostgres primary, ThrowawayPostgres standby) throws IOException {
		try (Connection connection = primary.connect(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_backup_start('standby', true)");
			copyDataDirectory(primary.data(), standby.data());
			try (ResultSet row = statement.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
				row.next();
				standby.writeDataFile("backup_label", row.getString(1));
				String tablespaceMap = row.getString(2);
				if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
					standby.writeDataFile("tablespace_map", tablespaceMap);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot back up " + primary + " for a standby: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Copies a running data directory, owners and permissions kept; the directories of
	 * {@link #NOT_COPIED} are created empty, and files that vanish meanwhile are skipped.
	 */
	private static void copyDataDirectory(Path from, Path to) throws IOException {
		copyTree(from, to, NOT_COPIED);
		// pg_wal needs its archive_status folder.
		Path archiveStatus = to.resolve("pg_wal").resolve("archive_status");
		Files.copy(from.resolve("pg_wal").resolve("archive_status"), archiveStatus, StandardCopyOption.COPY_ATTRIBUTES);
	}

	/**
	 * Copies a folder, owners and permissions kept: the entries of {@code from} named in
	 * {@code left} are left out (a folder among them is created empty), and files that vanish
	 * meanwhile are skipped.
	 */
	private static void copyTree(Path from, Path to, Set<String> left) throws IOException {
		Files.walkFileTree(from, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
				Path target = to.resolve(from.relativize(directory).toString());
				Files.copy(directory, target, StandardCopyOption.COPY_ATTRIBUTES);
				boolean skipped = from.equals(directory.getParent()) && left.contains(directory.getFileName().toString());
				return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				if (from.equals(file.getParent()) && left.contains(file.getFileName().toString())) {
					return FileVisitResult.CONTINUE;
				}
				try {
					Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
				}
				catch (NoSuchFileException ex) {
					// removed while copied: the WAL replayed from the backup's start recreates what matters
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

		});
	}

	/**
	 * Copies a slot of the primary to the standby as failover tools did before PostgreSQL 17
	 * (Patroni's permanent slots, for one): a {@code CHECKPOINT} writes the slot's state to disk,
	 * the standby stops, gets a copy of the slot's folder, and starts again. The copy stays where
	 * it was copied: it does not follow the primary's slot.
	 * @param slotName the slot
	 * @return the copy's confirmed position, as the standby reads it (e.g. {@code 0/16B3748})
	 */
	public String copySlotToStandby(String slotName) {
		this.primary.execute("CHECKPOINT");
		this.standby.stop(ThrowawayPostgres.ShutdownMode.FAST);
		Path slot = Path.of("pg_replslot", slotName);
		try {
			copyTree(this.primary.data().resolve(slot), this.standby.data().resolve(slot), Set.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot copy slot " + slotName + " to the standby", ex);
		}
		this.standby.start();
		try (Connection connection = this.standby.connect();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
			statement.setString(1, slotName);
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next()) {
					throw new IllegalStateException("Slot " + slotName + " copied, but the standby does not load it");
				}
				return row.getString(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read the standby's slots: " + ex.getMessage(), ex);
		}
	}

	/** @return the primary (until {@link #failOver()}) */
	public ThrowawayPostgres primary() {
		return this.primary;
	}

	/** @return the standby (the new primary after {@link #failOver()}) */
	public ThrowawayPostgres standby() {
		return this.standby;
	}

	/**
	 * A JDBC URL naming both servers, for clients that must follow a failover: the driver connects to
	 * whichever of the two accepts writes.
	 * @param database the database
	 * @return {@code jdbc:postgresql://127.0.0.1:<primary>,127.0.0.1:<standby>/<database>?targetServerType=primary}
	 */
	public String multiHostJdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.primary.port() + ",127.0.0.1:" + this.standby.port() + "/"
				+ database + "?targetServerType=primary";
	}

	/**
	 * Whether the standby holds (PostgreSQL 17 and later) a synchronised, persistent copy of a failover slot whose confirmed
	 * position is at least the given one.
	 * @param slotName the logical slot on the primary
	 * @param confirmedAtLeast the confirmed position (text, e.g. {@code 0/16B3748}) it must have reached
	 * @return whether the copy is there and far enough
	 */
	public boolean standbyHasSlot(String slotName, String confirmedAtLeast) {
		try (Connection connection = this.standby.connect();
				PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE "
						+ "slot_name = ? AND synced AND NOT temporary AND confirmed_flush_lsn >= ?::pg_lsn")) {
			statement.setString(1, slotName);
			statement.setString(2, confirmedAtLeast);
			try (ResultSet row = statement.executeQuery()) {
				return row.next();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read the standby's slots: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Waits until the standby holds a synchronised, persistent copy of a failover slot at or past a
	 * confirmed position ({@link #standbyHasSlot}). The standby's slot-sync worker keeps a new copy
	 * temporary until the primary's slot has a {@code restart_lsn} past the WAL the copy reserved,
	 * which moves only at the next running-transactions record (every 15 s on a busy primary): each
	 * poll writes one ({@code pg_log_standby_snapshot()}), as PostgreSQL's own tests do.
	 * @param slotName the logical slot on the primary
	 * @param confirmedAtLeast the confirmed position (text) the copy must have reached
	 * @param timeout how long to wait
	 */
	public void awaitStandbySlot(String slotName, String confirmedAtLeast, Duration timeout) {
		Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			this.primary.execute("SELECT pg_log_standby_snapshot()");
			if (!standbyHasSlot(slotName, confirmedAtLeast)) {
				throw new AssertionError("no synchronised copy of slot " + slotName + " at " + confirmedAtLeast
						+ " or later on the standby; " + describeStandbySlots());
			}
		});
	}

	/**
	 * Describes the standby's slots and the end of its log, for the message of a failed wait.
	 * @return the rows of the standby's {@code pg_replication_slots} and the last lines of its log
	 */
	String describeStandbySlots() {
		StringBuilder description = new StringBuilder("standby's slots:");
		try (Connection connection = this.standby.connect(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT slot_name, slot_type, synced, temporary, "
						+ "confirmed_flush_lsn, restart_lsn, invalidation_reason, pg_last_wal_receive_lsn() "
						+ "FROM pg_replication_slots")) {
			while (rows.next()) {
				description.append("\n  ");
				for (int column = 1; column <= 8; column++) {
					description.append(rows.getString(column)).append(' ');
				}
			}
		}
		catch (SQLException ex) {
			description.append(" (cannot read: ").append(ex.getMessage()).append(')');
		}
		try {
			java.util.List<String> lines = Files.readAllLines(this.standby.serverLog());
			description.append("\nstandby's log:\n")
				.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
		}
		catch (IOException ex) {
			description.append("\n(no standby log: ").append(ex.getMessage()).append(')');
		}
		return description.toString();
	}

	/**
	 * Fails over: kills the primary as a crash would ({@code pg_ctl stop -m immediate}), then
	 * promotes the standby and waits until it accepts writes.
	 */
	public void failOver() {
		this.primary.stop(ThrowawayPostgres.ShutdownMode.IMMEDIATE);
		this.standby.promote();
	}

	/** Stops both clusters at once and removes them. */
	@Override
	public void close() {
		try {
			this.standby.close();
		}
		finally {
			this.primary.close();
		}
	}

	@Override
	public String toString() {
		return "primary " + this.primary + " with standby " + this.standby;
	}

}
