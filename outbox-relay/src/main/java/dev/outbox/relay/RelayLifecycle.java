package dev.outbox.relay;

import java.time.Duration;
import java.util.HashMap;
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

import dev.outbox.relay.health.SlotMetrics;
import dev.outbox.relay.pipeline.RelayPipeline;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.slot.KafkaSlotHistory;
import dev.outbox.relay.source.RelayStartupException;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.SlotLostException;

/**
 * Starts the relay once the context is ready, and stops it gracefully.
 * <p>
 * Start runs the checks that must stop a misconfigured relay from starting at all (each error
 * names the setting and the fix): PostgreSQL's replication setup and Kafka's reachability within
 * {@code outbox.relay.kafka-startup-timeout}, and the slot-history topic. A lost slot, or a missing
 * one that the slot history says a relay streamed before, does not stop the application: it stays
 * up with health DOWN, so the operator sees why. Stop stops reading, lets Kafka acknowledge what is
 * in flight, confirms it, and closes.
 */
final class RelayLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RelayLifecycle.class);

	private final RelayPipeline pipeline;

	private final ReplicationSetup setup;

	private final RelayStatus status;

	private final RelayProperties properties;

	private final Map<String, Object> adminConfig;

	private final SlotMetrics slotMetrics;

	private final KafkaSlotHistory slotHistory;

	private @Nullable ScheduledExecutorService scheduler;

	private volatile boolean running;

	RelayLifecycle(RelayPipeline pipeline, ReplicationSetup setup, RelayStatus status, RelayProperties properties,
			Map<String, Object> adminConfig, SlotMetrics slotMetrics, KafkaSlotHistory slotHistory) {
		this.pipeline = pipeline;
		this.setup = setup;
		this.status = status;
		this.properties = properties;
		this.adminConfig = adminConfig;
		this.slotMetrics = slotMetrics;
		this.slotHistory = slotHistory;
	}

	@Override
	public void start() {
		try {
			this.setup.prepare();
		}
		catch (SlotLostException ex) {
			logger.error(ex.getMessage());
			this.status.fail(ex.getMessage(), null, 0);
			this.running = true;
			return;
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
		this.scheduler.scheduleWithFixedDelay(this.slotMetrics::refresh, 0, 10, TimeUnit.SECONDS);
		try {
			this.pipeline.start();
		}
		catch (SlotLostException ex) {
			logger.error(ex.getMessage());
			this.status.fail(ex.getMessage(), null, 0);
		}
		catch (Exception ex) {
			throw new RelayStartupException("Cannot create replication slot " + this.properties.getSlotName()
					+ " (outbox.relay.slot-name): " + ex.getMessage(), ex);
		}
		this.running = true;
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
		this.pipeline.stop(Duration.ofSeconds(30));
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
