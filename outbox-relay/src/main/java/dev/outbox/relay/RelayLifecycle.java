package dev.outbox.relay;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import dev.outbox.relay.slot.KafkaSlotHistory;
import dev.outbox.relay.source.RelayStartupException;
import dev.outbox.relay.source.SlotLostException;

/**
 * Starts the relay's sources once the context is ready, and stops them gracefully.
 * <p>
 * Start runs the checks that must stop a misconfigured relay from starting at all (each error
 * names the setting and the fix): each source's PostgreSQL replication setup, Kafka's
 * reachability within {@code outbox.relay.kafka-startup-timeout}, and the slot-history topic. A
 * lost slot, or a missing one that the slot history says a relay streamed before, does not stop
 * the application: that source stays down with health DOWN, so the operator sees why, and the
 * others stream. With {@code outbox.relay.sources}, a source whose database does not answer at
 * start does not stop the others either: its reader starts RETRYING, with backoff, and streams
 * once its database answers. Stop stops reading, lets Kafka acknowledge what is in flight,
 * confirms it, and closes, every source at once.
 */
final class RelayLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RelayLifecycle.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final RelaySources sources;

	private final RelayProperties properties;

	private final Map<String, Object> adminConfig;

	private final KafkaSlotHistory slotHistory;

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable SlotBalance balance;

	private volatile boolean running;

	RelayLifecycle(RelaySources sources, RelayProperties properties, Map<String, Object> adminConfig,
			KafkaSlotHistory slotHistory) {
		this.sources = sources;
		this.properties = properties;
		this.adminConfig = adminConfig;
		this.slotHistory = slotHistory;
	}

	@Override
	public void start() {
		Map<RelaySource, String> unreachable = new LinkedHashMap<>();
		List<RelaySource> startable = new ArrayList<>();
		for (RelaySource source : this.sources.all()) {
			try {
				source.setup().prepare();
				startable.add(source);
			}
			catch (SlotLostException ex) {
				logger.error(prefixed(source, ex.getMessage()));
				source.status().fail(ex.getMessage(), null, 0);
			}
			catch (RelayStartupException ex) {
				if (source.definition().isFlat() || !(ex.getCause() instanceof SQLException)) {
					throw prefixed(source, ex);
				}
				String reason = "PostgreSQL of source " + source.name() + " (" + source.definition().prefix()
						+ ".url) did not answer at start: " + ex.getCause().getMessage() + "; retrying";
				logger.error(reason);
				unreachable.put(source, reason);
			}
		}
		checkKafka();
		try {
			this.slotHistory.prepare(this.properties.getTopics().getReplicationFactor());
		}
		catch (IllegalStateException ex) {
			throw new RelayStartupException(ex.getMessage(), ex);
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "outbox-relay-slot-metrics");
			thread.setDaemon(true);
			return thread;
		});
		for (RelaySource source : this.sources.all()) {
			this.scheduler.scheduleWithFixedDelay(source.slotMetrics()::refresh, 0, 10, TimeUnit.SECONDS);
		}
		unreachable.forEach((source, reason) -> source.pipeline().startRetrying(reason));
		for (RelaySource source : startable) {
			try {
				source.pipeline().start();
			}
			catch (SlotLostException ex) {
				logger.error(prefixed(source, ex.getMessage()));
				source.status().fail(ex.getMessage(), null, 0);
			}
			catch (Exception ex) {
				stopAll();
				throw prefixed(source, new RelayStartupException("Cannot create replication slot "
						+ source.properties().getSlotName() + " (" + source.definition().prefix() + ".slot-name): "
						+ ex.getMessage(), ex));
			}
		}
		Duration balanceInterval = this.properties.getBalanceInterval();
		if (this.sources.all().size() > 1 && !balanceInterval.isZero() && !balanceInterval.isNegative()) {
			SlotBalance slotBalance = new SlotBalance(this.sources.all(), balanceInterval,
					this.properties.getStandbyRetryInterval());
			this.balance = slotBalance;
			this.scheduler.scheduleWithFixedDelay(slotBalance::balance, balanceInterval.toMillis(),
					balanceInterval.toMillis(), TimeUnit.MILLISECONDS);
		}
		this.running = true;
	}

	private static String prefixed(RelaySource source, String message) {
		return source.definition().isFlat() ? message : "Source " + source.name() + ": " + message;
	}

	private static RelayStartupException prefixed(RelaySource source, RelayStartupException ex) {
		return source.definition().isFlat() ? ex : new RelayStartupException(prefixed(source, ex.problem()), ex.action(), ex);
	}

	private void checkKafka() {
		Duration timeout = this.properties.getKafkaStartupTimeout();
		Map<String, Object> config = new HashMap<>(this.adminConfig);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
		try (Admin admin = Admin.create(config)) {
			admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			checkDeadLetterTopic(admin, timeout);
		}
		catch (RelayStartupException ex) {
			throw ex;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new RelayStartupException("Kafka at " + config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
					+ " did not answer within " + timeout + " (outbox.relay.kafka-startup-timeout): " + ex,
					"Check spring.kafka.bootstrap-servers and that the broker runs", ex);
		}
	}

	/**
	 * A dead-letter topic that does not exist would only show when the first event is rejected,
	 * as a relay stalled on it: create it now when the relay creates its topics, else refuse to
	 * start without it.
	 */
	private void checkDeadLetterTopic(Admin admin, Duration timeout) throws Exception {
		String topic = this.properties.getDeadLetterTopic();
		if (topic == null) {
			return;
		}
		if (this.properties.getTopics().isCreate()) {
			try {
				admin.createTopics(List.of(new NewTopic(topic, Optional.of(this.properties.getTopics().getPartitions()),
						Optional.ofNullable((this.properties.getTopics().getReplicationFactor() > 0)
								? this.properties.getTopics().getReplicationFactor() : null))))
					.all()
					.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
			return;
		}
		Set<String> topics = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (!topics.contains(topic)) {
			throw new RelayStartupException("Dead-letter topic " + topic + " (outbox.relay.dead-letter-topic) does not "
					+ "exist and outbox.relay.topics.create=false, so the relay would stall on the first rejected "
					+ "event. Create the topic, or set outbox.relay.topics.create=true, or unset "
					+ "outbox.relay.dead-letter-topic");
		}
	}

	@Override
	public void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		// Before the slots are freed: the relays that take them must not count this one (SlotBalance#close).
		if (this.balance != null) {
			this.balance.close();
		}
		stopAll();
		this.running = false;
	}

	/** Stops every source at once, so that each drains within the same bound. */
	private void stopAll() {
		List<Thread> stopping = new ArrayList<>();
		for (RelaySource source : this.sources.all()) {
			Thread thread = new Thread(() -> source.pipeline().stop(STOP_TIMEOUT), "outbox-relay-stop-" + source.name());
			thread.start();
			stopping.add(thread);
		}
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
