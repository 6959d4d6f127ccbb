package dev.outbox.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Creates the benchmark's topics up front, all with the same partition count, so the relay and
 * {@code ProducerPerformance} write to the same shape of topic.
 */
public final class Topics implements AutoCloseable {

	private final Admin admin;

	private final int partitions;

	/**
	 * @param bootstrap Kafka
	 * @param partitions partitions of every topic
	 */
	public Topics(String bootstrap, int partitions) {
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
		this.partitions = partitions;
	}

	/**
	 * Creates a topic unless it exists.
	 * @param topic the topic
	 * @throws Exception on failure
	 */
	public void create(String topic) throws Exception {
		create(topic, Map.of());
	}

	/**
	 * Creates a topic whose records carry the broker's append time instead of the producer's
	 * timestamp, so a consumer can split end-to-end latency at the broker.
	 * @param topic the topic
	 * @throws Exception on failure
	 */
	public void createWithAppendTime(String topic) throws Exception {
		create(topic, Map.of("message.timestamp.type", "LogAppendTime"));
	}

	private void create(String topic, Map<String, String> configs) throws Exception {
		try {
			this.admin.createTopics(List.of(new NewTopic(topic, Optional.of(this.partitions), Optional.empty())
				.configs(configs)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw ex;
			}
		}
	}

	/** @return the Kafka client version */
	public static String clientVersion() {
		return AppInfoParser.getVersion();
	}

	@Override
	public void close() {
		this.admin.close();
	}

}
