package dev.outbox.relay.source;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.contract.SlotInvalidation;
import dev.outbox.contract.TableName;

/**
 * The checks and the DDL the relay runs before it streams: {@code wal_level}, the role's
 * REPLICATION attribute, the outbox table, the shard count against the shard slots and
 * publications a previous run left, the publication (created, or checked to send every
 * outbox INSERT whole: {@link PublicationCheck}), the slot and, when the slot is still
 * to be created with {@code outbox.relay.snapshot-mode=initial}, the role's SELECT privilege on
 * the table. Each failure names the setting and the fix. It also warns while any role may write
 * an event as a logical decoding message ({@link EmitMessagePrivilege}).
 * <p>
 * The publication publishes only INSERTs ({@code publish = 'insert'}): the DELETE of the
 * INSERT+DELETE pattern then never leaves the server, which halves what the relay decodes.
 */
public final class ReplicationSetup {

	private static final Log logger = LogFactory.getLog(ReplicationSetup.class);

	private final DataSource dataSource;

	private final SourceSettings settings;

	private final TableName table;

	private volatile boolean startupWarningsGiven;

	/**
	 * @param dataSource ordinary connections to the outbox database
	 * @param settings the table, publication and slot, and what may be created
	 */
	public ReplicationSetup(DataSource dataSource, SourceSettings settings) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.table = settings.table();
	}

	/** @return the table, publication and slot, and what may be created */
	public SourceSettings settings() {
		return this.settings;
	}

	/** @return ordinary connections to the outbox database */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/** @return the validated outbox table */
	public TableName table() {
		return this.table;
	}

	/**
	 * Runs every check and creates what is missing and allowed to be created.
	 * @return the slot's status after setup, or {@code null} when it is missing and must be created
	 * by the caller on a replication connection (to export a snapshot)
	 * @throws RelayStartupException naming the setting and the fix
	 * @throws SlotLostException when the slot exists but is invalidated
	 */
	public @Nullable SlotStatus prepare() {
		try (Connection connection = this.dataSource.getConnection()) {
			checkWalLevel(connection);
			checkReplicationPrivilege(connection);
			checkTable(connection);
			giveStartupWarnings(connection);
			Shard shard = this.settings.shard();
			if (shard != null) {
				checkShardCount(connection, shard);
			}
			else {
				checkNotShardedBefore(connection);
			}
			ensurePublication(connection);
			return checkSlot(connection);
		}
		catch (SQLException ex) {
			throw new RelayStartupException("Cannot check PostgreSQL for replication: " + ex.getMessage()
					+ ". Check spring.datasource.url, username and password", ex);
		}
	}

	private static void checkWalLevel(Connection connection) throws SQLException {
		String walLevel = queryString(connection, "SHOW wal_level");
		if (!"logical".equals(walLevel)) {
			throw new RelayStartupException("PostgreSQL runs with wal_level=" + walLevel
					+ "; the relay needs wal_level=logical. Set it (ALTER SYSTEM SET wal_level = logical, "
					+ "or -c wal_level=logical) and restart PostgreSQL");
		}
	}

	/**
	 * REPLICATION attribute, superuser, or (Amazon RDS and Aurora, which grant neither) membership
	 * in {@code rds_replication}. {@code pg_has_role} fails on a role that does not exist, hence
	 * the CASE, which evaluates it only when the role exists.
	 */
	private static void checkReplicationPrivilege(Connection connection) throws SQLException {
		String check = "SELECT current_user, rolreplication OR rolsuper OR CASE WHEN EXISTS (SELECT 1 FROM pg_roles "
				+ "WHERE rolname = 'rds_replication') THEN pg_has_role(current_user, 'rds_replication', 'member') "
				+ "ELSE false END FROM pg_roles WHERE rolname = current_user";
		try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(check)) {
			row.next();
			if (!row.getBoolean(2)) {
				String role = row.getString(1);
				throw new RelayStartupException("Role " + role + " (spring.datasource.username) lacks the REPLICATION "
						+ "attribute the relay needs to read the slot. Grant it: ALTER ROLE " + role + " REPLICATION; "
						+ "(on Amazon RDS or Aurora: GRANT rds_replication TO " + role + ";)");
			}
		}
	}

	private void checkTable(Connection connection) throws SQLException {
		String regclass = queryString(connection, "SELECT to_regclass('" + this.table.qualified() + "')::text");
		if (regclass == null) {
			throw new RelayStartupException("outbox.relay.table=" + this.settings.tableSetting()
					+ " does not exist in this database. Create it with the outbox migration "
					+ "(db/migration/V1__outbox_event.sql, applied by the starter at service start) or fix the setting");
		}
	}

	/**
	 * Warns, once per start, while {@code PUBLIC} may execute {@code pg_logical_emit_message}
	 * ({@link EmitMessagePrivilege}), and while the slot would not follow a failover safely
	 * ({@link FailoverSlots}). A catalog or setting the role cannot read is not a reason to stop.
	 */
	private void giveStartupWarnings(Connection connection) {
		if (this.startupWarningsGiven) {
			return;
		}
		this.startupWarningsGiven = true;
		try {
			String warning = EmitMessagePrivilege.warning(connection, this.table);
			if (warning != null) {
				logger.warn(warning);
			}
		}
		catch (SQLException ex) {
			logger.warn("Cannot check who may execute pg_catalog.pg_logical_emit_message: " + ex.getMessage());
		}
		try {
			String warning = this.settings.failoverSlot() ? FailoverSlots.warning(connection, this.settings.slotName())
					: null;
			if (warning != null) {
				logger.warn(warning);
			}
		}
		catch (SQLException ex) {
			logger.warn("Cannot read synchronized_standby_slots: " + ex.getMessage());
		}
	}

	/**
	 * Creates the publication when it is missing, or checks the existing one with
	 * {@link PublicationCheck}: runs before every session, so one altered since the last is refused
	 * before the relay streams through it.
	 */
	private void ensurePublication(Connection connection) throws SQLException {
		String publication = this.settings.publicationName();
		PublicationCheck existing = readPublication(connection, publication, this.settings.shard());
		if (existing != null) {
			String problem = existing.problem();
			if (problem != null) {
				throw new RelayStartupException(problem);
			}
			return;
		}
		String create = PublicationCheck.createStatement(publication, this.table, this.settings.shard());
		if (!this.settings.createPublication()) {
			throw new RelayStartupException("Publication " + publication + " (outbox.relay.publication-name) is "
					+ "missing and outbox.relay.create-publication=false. Create it as the table's owner: " + create);
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute(create);
			logger.info("Created publication " + publication + " on " + this.table);
		}
		catch (SQLException ex) {
			throw new RelayStartupException("Publication " + publication + " (outbox.relay.publication-name) is "
					+ "missing and cannot be created: " + ex.getMessage() + ". Create it as the table's owner: "
					+ create, ex);
		}
	}

	/**
	 * Row filters and column lists (and their columns in the catalog) came with PostgreSQL 15.
	 * {@code pg_publication_tables.attnames} lists every column of the table when there is no
	 * column list, so a list is read only where {@code pg_publication_rel.prattrs} says there is
	 * one: a table that itself lacks a contract column is the table's fault, reported at its first
	 * row by {@link OutboxRowReader}.
	 */
	private @Nullable PublicationCheck readPublication(Connection connection, String publication,
			@Nullable Shard shard) throws SQLException {
		boolean filters = connection.getMetaData().getDatabaseMajorVersion() >= 15;
		String sql = "SELECT p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, t.tablename IS NOT NULL, "
				+ (filters ? "t.rowfilter, CASE WHEN EXISTS (SELECT 1 FROM pg_publication_rel r WHERE r.prpubid = p.oid "
						+ "AND r.prrelid = to_regclass(?) AND r.prattrs IS NOT NULL) THEN t.attnames::text[] END"
						: "NULL::text, NULL::text[]")
				+ " FROM pg_publication p LEFT JOIN pg_publication_tables t ON t.pubname = p.pubname "
				+ "AND t.schemaname = ? AND t.tablename = ? WHERE p.pubname = ?";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			int parameter = 1;
			if (filters) {
				statement.setString(parameter++, this.table.qualified());
			}
			statement.setString(parameter++, this.table.schema());
			statement.setString(parameter++, this.table.table());
			statement.setString(parameter, publication);
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next()) {
					return null;
				}
				List<String> publishes = new ArrayList<>();
				String[] operations = { "insert", "update", "delete", "truncate" };
				for (int i = 0; i < operations.length; i++) {
					if (row.getBoolean(i + 1)) {
						publishes.add(operations[i]);
					}
				}
				Array columns = row.getArray(7);
				return new PublicationCheck(publication, this.table, publishes, row.getBoolean(5), row.getString(6),
						(columns != null) ? List.of((String[]) columns.getArray()) : null, shard);
			}
		}
	}

	/**
	 * Refuses to stream a shard while slots or publications of a run with another shard count
	 * exist ({@link Shard#changedCountMessage}), before this shard's publication is created: the
	 * source's unsharded slot, a shard slot or publication whose index is past the count, a
	 * sibling shard publication whose filter is for another count, or a shard slot without its
	 * publication (the relay creates a shard's publication before its slot, so that slot was
	 * streamed through another). (This shard's own publication
	 * is checked by {@link PublicationCheck}.) Every shard of the source runs this check, so none of
	 * them starts while any of the old ones is left.
	 */
	private void checkShardCount(Connection connection, Shard shard) throws SQLException {
		List<String> stale = new ArrayList<>();
		Map<String, @Nullable String> publications = shardPublications(connection, shard.publicationBase());
		publications.forEach((publication, filter) -> {
			int[] filtered = (filter != null) ? Shard.parse(filter) : null;
			if (pastCount(publication, shard.publicationBase(), shard.count())) {
				stale.add("publication " + publication);
			}
			else if (filtered != null && filtered[1] != shard.count()) {
				stale.add("publication " + publication + " filters for shard " + filtered[0] + " of " + filtered[1]);
			}
		});
		String slotQuery = "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() "
				+ "AND (slot_name = ? OR starts_with(slot_name, ?)) ORDER BY slot_name";
		try (PreparedStatement statement = connection.prepareStatement(slotQuery)) {
			statement.setString(1, shard.slotBase());
			statement.setString(2, shard.slotBase() + "_");
			try (ResultSet row = statement.executeQuery()) {
				while (row.next()) {
					String slot = row.getString(1);
					if (slot.equals(shard.slotBase()) || pastCount(slot, shard.slotBase(), shard.count())) {
						stale.add("slot " + slot);
					}
					else if (isShardName(slot, shard.slotBase()) && !publications.containsKey(
							Shard.name(shard.publicationBase(), Integer.parseInt(slot.substring(shard.slotBase().length() + 1))))) {
						// The relay creates a shard's publication before its slot: this slot was made with another.
						stale.add("slot " + slot + " (without its publication)");
					}
				}
			}
		}
		if (!stale.isEmpty()) {
			throw new RelayStartupException(shard.changedCountMessage(String.join(", ", stale) + " exist"
					+ ((stale.size() == 1) ? "s" : "")));
		}
	}

	/**
	 * Refuses to stream an unsharded source while its table has shard publications of its
	 * publication name ({@code <publication-name>_<i>} with a shard filter, {@link Shard#parse}),
	 * left by a run that sharded it: going back to one shard changes the count
	 * ({@link Shard#unshardedMessage}). Those publications are the evidence; the shard slots of the
	 * same indices are only named beside them, since a slot name alone may be another source's
	 * (a slot {@code orders_slot_2} streaming another table). Before PostgreSQL 15 there are no row
	 * filters, so no shard publications.
	 */
	private void checkNotShardedBefore(Connection connection) throws SQLException {
		if (connection.getMetaData().getDatabaseMajorVersion() < 15) {
			return;
		}
		String publicationBase = this.settings.publicationName();
		String slotBase = this.settings.slotName();
		List<String> publications = new ArrayList<>();
		List<String> slotNames = new ArrayList<>();
		int oldCount = 0;
		for (Map.Entry<String, @Nullable String> entry : shardPublications(connection, publicationBase).entrySet()) {
			String publication = entry.getKey();
			String filter = entry.getValue();
			int[] filtered = (filter != null) ? Shard.parse(filter) : null;
			if (filtered != null && isShardName(publication, publicationBase)) {
				publications.add(publication + " (shard " + filtered[0] + " of " + filtered[1] + ")");
				int index = Integer.parseInt(publication.substring(publicationBase.length() + 1));
				slotNames.add(Shard.name(slotBase, index));
				oldCount = Math.max(oldCount, filtered[1]);
			}
		}
		if (publications.isEmpty()) {
			return;
		}
		List<String> slots = new ArrayList<>();
		String slotQuery = "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() "
				+ "AND slot_name = ANY (?) ORDER BY slot_name";
		try (PreparedStatement statement = connection.prepareStatement(slotQuery)) {
			statement.setArray(1, connection.createArrayOf("text", slotNames.toArray()));
			try (ResultSet row = statement.executeQuery()) {
				while (row.next()) {
					slots.add(row.getString(1));
				}
			}
		}
		String found = ((publications.size() == 1) ? "publication " : "publications ") + String.join(", ", publications)
				+ (slots.isEmpty() ? "" : ((slots.size() == 1) ? " and slot " : " and slots ") + String.join(", ", slots))
				+ ((publications.size() + slots.size() == 1) ? " exists" : " exist");
		throw new RelayStartupException(Shard.unshardedMessage(found, oldCount, slotBase, publicationBase,
				this.settings.shardsSetting()));
	}

	/**
	 * The publications named {@code <base>_...}, in name order, each with its row filter on the
	 * outbox table as {@code pg_publication_tables.rowfilter} shows it: {@code null} when it has
	 * none or does not publish the table. PostgreSQL 15 and later (row filters).
	 */
	private Map<String, @Nullable String> shardPublications(Connection connection, String base) throws SQLException {
		Map<String, @Nullable String> publications = new LinkedHashMap<>();
		String query = "SELECT p.pubname, t.rowfilter FROM pg_publication p LEFT JOIN pg_publication_tables t "
				+ "ON t.pubname = p.pubname AND t.schemaname = ? AND t.tablename = ? "
				+ "WHERE starts_with(p.pubname, ?) ORDER BY p.pubname";
		try (PreparedStatement statement = connection.prepareStatement(query)) {
			statement.setString(1, this.table.schema());
			statement.setString(2, this.table.table());
			statement.setString(3, base + "_");
			try (ResultSet row = statement.executeQuery()) {
				while (row.next()) {
					publications.put(row.getString(1), row.getString(2));
				}
			}
		}
		return publications;
	}

	/** Whether {@code name} is {@code base_<i>}. */
	private static boolean isShardName(String name, String base) {
		String suffix = name.substring(Math.min(name.length(), base.length() + 1));
		return name.startsWith(base + "_") && !suffix.isEmpty() && suffix.length() <= 9
				&& suffix.chars().allMatch(Character::isDigit);
	}

	/** Whether {@code name} is {@code base_<i>} with {@code i >= count}. */
	private static boolean pastCount(String name, String base, int count) {
		return isShardName(name, base) && Integer.parseInt(name.substring(base.length() + 1)) >= count;
	}

	private @Nullable SlotStatus checkSlot(Connection connection) throws SQLException {
		String slotName = this.settings.slotName();
		SlotStatus slot = SlotStatus.read(connection, slotName);
		if (slot == null) {
			if (!this.settings.createSlot()) {
				throw new RelayStartupException("Replication slot " + slotName + " (outbox.relay.slot-name) is missing "
						+ "and outbox.relay.create-slot=false. Create it: SELECT pg_create_logical_replication_slot('"
						+ slotName + "', 'pgoutput')");
			}
			if (this.settings.initialSnapshot()) {
				checkSnapshotPrivilege(connection);
			}
			return null;
		}
		if (!"pgoutput".equals(slot.plugin())) {
			throw new RelayStartupException("Replication slot " + slotName + " (outbox.relay.slot-name) uses plugin "
					+ slot.plugin() + "; the relay needs pgoutput. Choose another slot name or drop that slot");
		}
		String database = queryString(connection, "SELECT current_database()");
		if (!slot.database().equals(database)) {
			throw new RelayStartupException("Replication slot " + slotName + " (outbox.relay.slot-name) belongs to "
					+ "database " + slot.database() + ", not " + database + ". Choose another slot name");
		}
		if (slot.isLost()) {
			throw new SlotLostException(lostMessage(slotName, slot.invalidation()));
		}
		return slot;
	}

	/** The initial snapshot SELECTs the table; streaming alone does not need that privilege. */
	private void checkSnapshotPrivilege(Connection connection) throws SQLException {
		String check = "SELECT current_user, has_table_privilege('" + this.table.qualified() + "', 'SELECT')";
		try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(check)) {
			row.next();
			if (!row.getBoolean(2)) {
				String role = row.getString(1);
				throw new RelayStartupException("outbox.relay.snapshot-mode=initial reads the rows already in "
						+ this.table + ", but role " + role + " (spring.datasource.username) cannot SELECT from it. "
						+ "Grant it: GRANT SELECT ON " + this.table + " TO " + role
						+ "; or set outbox.relay.snapshot-mode=never");
			}
		}
	}

	/**
	 * The operator-facing message for a slot dropped while the relay streamed it.
	 * @param slotName the slot
	 * @return what happened and what to do
	 */
	public static String droppedMessage(String slotName) {
		return "Replication slot " + slotName + " was dropped while the relay used it: PostgreSQL no longer keeps "
				+ "the WAL the relay had not confirmed, so events committed since may be missing from Kafka. The relay "
				+ "will not recreate the slot by itself. Reconcile the missing events (those committed after the last "
				+ "one in Kafka), then start the relay once with outbox.relay.allow-slot-recreation=true, which creates a new "
				+ "slot at the current WAL position";
	}

	/**
	 * The operator-facing message for a slot found, on a new timeline (a promoted standby), behind
	 * the position the relay had confirmed before: a copy of the slot that does not follow a
	 * failover as PostgreSQL 17's failover slots do.
	 * @param slot the slot as found
	 * @param timeline the server's timeline ({@link ServerTimeline})
	 * @param previousTimeline the timeline the relay streamed on before
	 * @param confirmedLsn the position the relay had confirmed there
	 * @return what happened and what to do
	 */
	public static String behindAfterFailoverMessage(SlotStatus slot, int timeline, int previousTimeline,
			long confirmedLsn) {
		return "Replication slot " + slot.slotName() + " is on a new primary (timeline " + timeline + ", was "
				+ previousTimeline + ": a failover) at " + LogSequenceNumber.valueOf(slot.confirmedFlushLsn()).asString()
				+ ", behind the position the relay confirmed before, "
				+ LogSequenceNumber.valueOf(confirmedLsn).asString() + ". It is a copy that did not follow the slot (not "
				+ "a failover slot, which needs PostgreSQL 17), so the relay may have published events from WAL the new "
				+ "primary never received, and the copy may not decode correctly. The relay will not stream from it. "
				+ "Reconcile the events published and committed around the failover (docs/failover.md), then drop the "
				+ "slot (SELECT pg_drop_replication_slot('" + slot.slotName() + "')) and start the relay once with "
				+ "outbox.relay.allow-slot-recreation=true";
	}

	/**
	 * The operator-facing message for an invalidated slot, naming why PostgreSQL invalidated it and
	 * what prevents it next time.
	 * @param slotName the slot
	 * @param cause why ({@link SlotStatus#invalidation()}); {@code null} reads as removed WAL, the
	 * only cause before PostgreSQL 16
	 * @return what happened and what to do
	 */
	public static String lostMessage(String slotName, @Nullable SlotInvalidation cause) {
		SlotInvalidation invalidation = (cause != null) ? cause : SlotInvalidation.WAL_REMOVED;
		return "Replication slot " + slotName + " is lost (invalidated, cause " + invalidation.label()
				+ "): " + invalidation.what() + ", so events committed in WAL the relay had not read may be missing "
				+ "from Kafka. The relay will not recreate the slot by itself. Reconcile the missing events, then drop "
				+ "the slot (SELECT pg_drop_replication_slot('" + slotName + "')) and start the relay once with "
				+ "outbox.relay.allow-slot-recreation=true; to prevent it: " + invalidation.fix();
	}

	private static @Nullable String queryString(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
			return row.next() ? row.getString(1) : null;
		}
	}

	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

}
