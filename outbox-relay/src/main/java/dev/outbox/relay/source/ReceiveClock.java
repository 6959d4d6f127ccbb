package dev.outbox.relay.source;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * When a replication connection last received bytes from PostgreSQL: the relay's view of
 * whether the server still talks to it.
 * <p>
 * Why the relay needs its own clock: a link that stays open but carries nothing (a network
 * partition, a hung server, a stalled proxy) raises no error on the client. PostgreSQL ends its
 * walsender after {@code wal_sender_timeout}, but the relay cannot see that close through the
 * silent link, and the operating system gives up on the connection only after many minutes. A
 * healthy server is never silent for long here: the relay sends a status update every
 * {@code outbox.relay.status-interval} asking for a reply, and the server answers each one with a
 * keepalive. So silence longer than {@code outbox.relay.replication-timeout} means the link is
 * gone, the same rule as PostgreSQL's own {@code wal_receiver_timeout}.
 * <p>
 * The driver's API shows neither keepalives nor bytes, so the clock is fed by the connection's
 * socket: {@link ReceiveClockSocketFactory}, which pgjdbc instantiates by class name, finds its
 * clock by the id passed as {@code socketFactoryArg}. A clock that no socket was ever attached
 * to (a {@code socketFactory} set in the JDBC URL wins over the relay's) reports no silence.
 * Thread-safe.
 */
public final class ReceiveClock implements AutoCloseable {

	private static final Map<String, ReceiveClock> open = new ConcurrentHashMap<>();

	private final String id = UUID.randomUUID().toString();

	private volatile long lastReceivedNanos = System.nanoTime();

	private volatile boolean attached;

	private ReceiveClock() {
	}

	/** @return a new clock, findable by {@link #id()} until it is closed */
	public static ReceiveClock open() {
		ReceiveClock clock = new ReceiveClock();
		open.put(clock.id, clock);
		return clock;
	}

	static @Nullable ReceiveClock find(String id) {
		return open.get(id);
	}

	/** @return the id that {@link ReceiveClockSocketFactory} finds this clock by */
	public String id() {
		return this.id;
	}

	void attached() {
		this.attached = true;
		received();
	}

	void received() {
		this.lastReceivedNanos = System.nanoTime();
	}

	/** @return whether a socket reports to this clock */
	public boolean isAttached() {
		return this.attached;
	}

	/** @return how long nothing was received; zero while no socket is attached */
	public Duration silence() {
		return this.attached ? Duration.ofNanos(System.nanoTime() - this.lastReceivedNanos) : Duration.ZERO;
	}

	@Override
	public void close() {
		open.remove(this.id);
	}

}
