package dev.outbox.failuresuite.readmodel;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A polling capture as a process of its own (so that it can be killed with SIGKILL): polls, sends
 * to Kafka with an idempotent producer and {@code acks=all}, and sleeps the poll interval whenever a
 * poll found less than a full batch. A failed poll (the database or the broker away) marks nothing;
 * it reconnects and polls again. Every second it prints how many polls it made and rows it sent
 * (what {@link PollerBench} reads). With {@value KillPoint#PROPERTY} set, it parks at its
 * {@link KillPoint} for the lab's {@code poller-kill-9}.
 * <p>
 * Arguments: {@code table|outbox jdbcUrl bootstrapServers topic pollIntervalMillis batch}.
 */
public final class PollerService {

	private PollerService() {
	}

	/**
	 * Runs the poller until killed.
	 * @param args see the class comment
	 * @throws InterruptedException when interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		if (args.length != 6) {
			throw new IllegalArgumentException(
					"arguments: table|outbox jdbcUrl bootstrapServers topic pollIntervalMillis batch, were " + args.length);
		}
		String topic = args[3];
		long interval = Long.parseLong(args[4]);
		int batch = Integer.parseInt(args[5]);
		KillPoint killPoint = KillPoint.fromSystemProperty();
		Poller poller = switch (args[0]) {
			case "table" -> new TablePoller(topic, batch, killPoint);
			case "outbox" -> new OutboxPoller(topic, batch, killPoint);
			default -> throw new IllegalArgumentException("poller must be table or outbox, was " + args[0]);
		};
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[2]);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		try (Producer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer())) {
			System.out.println("poller started: " + args[0] + ", every " + interval + " ms, batches of " + batch
					+ (killPoint.parks() ? ", parking after batch " + Long.getLong(KillPoint.PROPERTY) : ""));
			run(poller, args[1], producer, interval, batch);
		}
	}

	private static void run(Poller poller, String jdbcUrl, Producer<String, String> producer, long interval, int batch)
			throws InterruptedException {
		Connection connection = null;
		long polls = 0;
		long sent = 0;
		Instant reported = Instant.now();
		while (!Thread.currentThread().isInterrupted()) {
			int found = 0;
			try {
				if (connection == null) {
					connection = connect(jdbcUrl);
				}
				found = poller.poll(connection, producer);
				polls++;
				sent += found;
			}
			catch (SQLException | ExecutionException | RuntimeException ex) {
				System.out.println(Instant.now() + " poll failed, nothing marked: " + ex);
				close(connection);
				connection = null;
			}
			if (Duration.between(reported, Instant.now()).toSeconds() >= 1) {
				System.out.println(Instant.now() + " " + polls + " polls, " + sent + " rows sent");
				reported = Instant.now();
			}
			if (found < batch) {
				TimeUnit.MILLISECONDS.sleep(interval);
			}
		}
	}

	private static Connection connect(String jdbcUrl) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", "postgres");
		properties.setProperty("password", "");
		Connection connection = DriverManager.getConnection(jdbcUrl, properties);
		connection.setAutoCommit(false);
		return connection;
	}

	private static void close(Connection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// reconnecting anyway
			}
		}
	}

}
