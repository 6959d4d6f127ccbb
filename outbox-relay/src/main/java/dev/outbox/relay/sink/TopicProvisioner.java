package dev.outbox.relay.sink;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates a missing topic, once, before the first record is sent to it
 * ({@code outbox.relay.topics.create}). Called from the reader thread only.
 */
public final class TopicProvisioner implements AutoCloseable {

	private final Admin admin;

	private final int partitions;

	private final short replicationFactor;

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	/**
	 * @param admin the admin client, owned (closed) by this provisioner
	 * @param partitions partitions of created topics
	 * @param replicationFactor replication factor of created topics, -1 for the broker default
	 */
	public TopicProvisioner(Admin admin, int partitions, short replicationFactor) {
		this.admin = admin;
		this.partitions = partitions;
		this.replicationFactor = replicationFactor;
	}

	/**
	 * Makes sure the topic exists.
	 * @param topic the topic name
	 * @param timeout how long to wait for the broker
	 * @throws IllegalStateException when it cannot be created in time (the caller retries)
	 */
	public void ensure(String topic, Duration timeout) {
		if (this.known.contains(topic)) {
			return;
		}
		NewTopic newTopic = new NewTopic(topic, Optional.of(this.partitions),
				(this.replicationFactor > 0) ? Optional.of(this.replicationFactor) : Optional.empty());
		try {
			this.admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("Cannot create topic " + topic + ": " + ex.getCause(), ex.getCause());
			}
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Creating topic " + topic + " timed out after " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topic " + topic, ex);
		}
		this.known.add(topic);
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
	}

}
