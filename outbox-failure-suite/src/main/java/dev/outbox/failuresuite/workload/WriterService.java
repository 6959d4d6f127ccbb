package dev.outbox.failuresuite.workload;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.starter.Outbox;

/**
 * The writing service as a process of its own, for the scenarios that {@code kill -9} the
 * service: it writes until it is killed.
 * <p>
 * {@code outbox}: the starter's {@link OutboxTransactions}. {@code dual-write}: the baseline's
 * {@link DualWriteTransactions}, with a producer as safe as a producer alone can be ({@code acks=all},
 * idempotent): what it has saved and not yet sent when it dies is lost.
 * <p>
 * Arguments: {@code mode jdbcUrl threads eventsPerSecond aggregates seed [bootstrapServers topic]}.
 */
public final class WriterService {

	private WriterService() {
	}

	/**
	 * System property naming the transaction (counted from 1) after whose commit a {@code dual-write}
	 * service parks before its send ({@link DualWriteTransactions}); unset: never.
	 */
	public static final String PARK_AFTER_COMMIT_PROPERTY = "outbox.failure-suite.park-after-commit";

	/** System property with the service's {@code outbox.write-mode}; {@code table} when not set. */
	public static final String WRITE_MODE_PROPERTY = "outbox.failure-suite.write-mode";

	/**
	 * Runs the service.
	 * @param args see the class comment
	 * @throws InterruptedException never in practice: it runs until killed
	 */
	public static void main(String[] args) throws InterruptedException {
		String mode = args[0];
		int threads = Integer.parseInt(args[2]);
		ConfigurableApplicationContext context = WorkloadApplication.start(args[1], threads + 1,
				System.getProperty(WRITE_MODE_PROPERTY, "table"));
		TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		TransactionWriter writer;
		if ("outbox".equals(mode)) {
			writer = new OutboxTransactions(transactions, jdbc, context.getBean(Outbox.class));
		}
		else if ("dual-write".equals(mode)) {
			Map<String, Object> config = new HashMap<>();
			config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[6]);
			config.put(ProducerConfig.ACKS_CONFIG, "all");
			config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
			writer = new DualWriteTransactions(transactions, jdbc,
					new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()), args[7],
					JsonMapper.builder().build(), Long.getLong(PARK_AFTER_COMMIT_PROPERTY, 0));
		}
		else {
			throw new IllegalArgumentException("mode must be outbox or dual-write, was " + mode);
		}
		new Writers(writer, threads, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]));
		System.out.println("writer service started: " + mode);
		Thread.currentThread().join(); // until killed
	}

}
