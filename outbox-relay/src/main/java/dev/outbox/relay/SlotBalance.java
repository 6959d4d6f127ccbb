package dev.outbox.relay;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.outbox.relay.pipeline.RelayState;
import dev.outbox.relay.source.ConnectionSettings;

/**
 * Best-effort balance of the slots of one list between the relay processes given it, with no
 * coordinator but PostgreSQL: each slot stays the lease (one walsender streams it, so never two
 * relays at once), and this class only decides when this process hands one of its slots over.
 * <p>
 * In each database of the list, each process keeps one ordinary connection whose
 * {@code application_name} is {@code outbox-relay <instance> <list>}: its presence, visible to
 * the others in {@code pg_stat_activity} (same role, or {@code pg_read_all_stats}), where
 * {@code <list>} fingerprints the list's databases and slots so that relays of other lists do
 * not count; a process that stops withdraws it before it frees its slots ({@link #close}). Every
 * {@code outbox.relay.balance-interval} it counts the relays present (those whose
 * presence ran its query within three intervals, so a vanished peer stops counting; the most
 * seen in any database of the list, so one database down does not hide them) and, when it
 * streams more than its fair share, {@code ceil(slots / relays)}, releases one slot
 * ({@link dev.outbox.relay.pipeline.RelayPipeline#release}): it drains and confirms, closes the
 * stream, and stands by for three {@code standby-retry-interval}s, in which another relay standing
 * by for it, which retries every interval, takes it. One below its share keeps it; one at its share
 * races for it as well, and then, one above, releases a slot at its next round. One slot per
 * process and round, so the counts converge (three relays on six slots settle at two each within a
 * few rounds, some slots handed over twice on the way), and a process at or below its share never
 * releases.
 * <p>
 * Best effort: a process that joins takes slots only as others release them, one per balance
 * interval each; a relay that cannot be seen (another role without {@code pg_read_all_stats})
 * is not counted, so the others keep more than their share; and if the relay meant to take a
 * released slot is gone, the releasing one streams it again after the hold-off, so the slot's
 * events wait that long but none is lost or reordered (the release confirms only what Kafka
 * acknowledged, as a stop does).
 */
final class SlotBalance implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SlotBalance.class);

	private final String instance;

	private final String applicationName;

	private final Duration interval;

	private final Duration holdOff;

	private final List<RelaySource> sources;

	private final Map<String, Presence> presences = new LinkedHashMap<>();

	private volatile boolean closed;

	/**
	 * @param sources the sources of this process, the list
	 * @param interval {@code outbox.relay.balance-interval}
	 * @param standbyRetryInterval {@code outbox.relay.standby-retry-interval}
	 */
	SlotBalance(List<RelaySource> sources, Duration interval, Duration standbyRetryInterval) {
		this.instance = instanceId();
		this.sources = List.copyOf(sources);
		this.interval = interval;
		this.holdOff = standbyRetryInterval.multipliedBy(3);
		TreeSet<String> slots = new TreeSet<>();
		for (RelaySource source : sources) {
			String database = SourceDefinitions.database(source.definition().connection().jdbcUrl());
			slots.add(database + " " + source.properties().getSlotName());
			this.presences.computeIfAbsent(database, (key) -> new Presence(source.definition().connection()));
		}
		this.applicationName = "outbox-relay " + this.instance + " "
				+ String.format(Locale.ROOT, "%08x", String.join(",", slots).hashCode());
	}

	/**
	 * One round: counts the relays present on the list (the most seen in any of its databases)
	 * and releases one slot when this process streams more than its share.
	 */
	void balance() {
		try {
			int relays = 1;
			for (Presence presence : this.presences.values()) {
				relays = Math.max(relays, presence.relaysPresent());
			}
			List<RelaySource> streaming = new ArrayList<>();
			for (RelaySource source : this.sources) {
				if (source.status().state() == RelayState.STREAMING) {
					streaming.add(source);
				}
			}
			int share = (this.sources.size() + relays - 1) / relays;
			if (streaming.size() <= share) {
				return;
			}
			RelaySource released = streaming.get(streaming.size() - 1);
			if (released.pipeline().release(this.holdOff)) {
				logger.info("Balancing: this relay (" + this.instance + ") streams " + streaming.size() + " of the "
						+ this.sources.size() + " slots of its list, which " + relays + " relays share (fair share "
						+ share + "); releasing slot " + released.properties().getSlotName() + " of source "
						+ released.name());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Balancing skipped this round: " + ex);
		}
	}

	/**
	 * Withdraws this relay's presence, before it frees its slots on stop, so that the others,
	 * taking them, count one relay fewer: counting it, a relay at its share would take a freed slot
	 * above its share and hand it over again a round later. The application name is cleared on the
	 * server first, which {@code pg_stat_activity} shows as soon as the command returns; a closed
	 * connection leaves it only as its backend exits, which may be after a freed slot is taken.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.presences.values().forEach(Presence::withdraw);
	}

	/** The pod's name (HOSTNAME) when there is one, and a random suffix: unique per process and start. */
	private static String instanceId() {
		String host = System.getenv("HOSTNAME");
		String base = (host != null && !host.isBlank()) ? host.replaceAll("[^A-Za-z0-9_.-]", "") : "relay";
		base = base.substring(0, Math.min(base.length(), 30));
		String suffix = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
		return base + "-" + suffix.substring(0, Math.min(6, suffix.length()));
	}

	/** This process's presence in one database of the list, and its count of the relays present there. */
	private final class Presence {

		private final ConnectionSettings connection;

		private @Nullable Connection presence;

		Presence(ConnectionSettings connection) {
			this.connection = connection;
		}

		/** @return the relays of this list present in the database, this one included; 1 when it cannot tell */
		int relaysPresent() {
			try {
				Connection current = this.presence;
				if (SlotBalance.this.closed) {
					return 1;
				}
				if (current == null || current.isClosed()) {
					Properties properties = new Properties();
					if (this.connection.username() != null) {
						properties.setProperty("user", this.connection.username());
					}
					if (this.connection.password() != null) {
						properties.setProperty("password", this.connection.password());
					}
					properties.setProperty("ApplicationName", SlotBalance.this.applicationName);
					properties.setProperty("loginTimeout", "10");
					properties.setProperty("socketTimeout", "30");
					current = DriverManager.getConnection(this.connection.jdbcUrl(), properties);
					this.presence = current;
					if (SlotBalance.this.closed) {
						closeConnection();
						return 1;
					}
				}
				String list = SlotBalance.this.applicationName
					.substring(SlotBalance.this.applicationName.lastIndexOf(' ') + 1);
				String sql = "SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE datname = "
						+ "current_database() AND application_name LIKE 'outbox-relay % ' || ? AND (pid = "
						+ "pg_backend_pid() OR state_change > now() - ?::interval)";
				try (PreparedStatement statement = current.prepareStatement(sql)) {
					statement.setString(1, list);
					statement.setString(2, SlotBalance.this.interval.multipliedBy(3).toMillis() + " milliseconds");
					try (ResultSet row = statement.executeQuery()) {
						row.next();
						return Math.max(1, row.getInt(1));
					}
				}
			}
			catch (SQLException ex) {
				logger.debug("Cannot count the relays present: " + ex.getMessage());
				closeConnection();
				return 1;
			}
		}

		/** Clears the application name on the server (for at most a second), then closes the connection. */
		void withdraw() {
			Connection current = this.presence;
			if (current != null) {
				try {
					current.setNetworkTimeout(Runnable::run, 1000);
					try (Statement statement = current.createStatement()) {
						statement.execute("SET application_name = ''");
					}
				}
				catch (SQLException ex) {
					logger.debug("Withdrawing the balancing presence: " + ex.getMessage());
				}
			}
			closeConnection();
		}

		void closeConnection() {
			Connection current = this.presence;
			this.presence = null;
			if (current != null) {
				try {
					current.close();
				}
				catch (SQLException ex) {
					logger.debug("Closing the balancing connection: " + ex.getMessage());
				}
			}
		}

	}

}
