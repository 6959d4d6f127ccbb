package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PostgresTest
@KafkaTest
class RelayRestartIntegrationTests {

	private RelayFixture fixture;

	@BeforeEach
	void setUp(TestDatabase database, KafkaBroker broker) {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void killNineAndGracefulRestartsLoseNothingAndKeepPerAggregateOrder() throws Exception {
		DeliveryCheck check = new DeliveryCheck();
		AtomicBoolean writing = new AtomicBoolean(true);
		JavaProcess relay = this.fixture.startRelayProcess("a");
		awaitStreaming(relay);
		Thread writer = new Thread(() -> {
			int round = 0;
			while (writing.get()) {
				String aggregate = "agg-" + (round++ % 20);
				check.committed(aggregate,
						this.fixture.writeTransaction("restart", aggregate, 1 + ThreadLocalRandom.current().nextInt(20)));
			}
		}, "writer");
		writer.start();
		try {
			for (int kill = 0; kill < 3; kill++) {
				int before = check.committedCount();
				await().atMost(Duration.ofSeconds(60)).until(() -> check.committedCount() > before + 200);
				relay.kill();
				relay.start();
				awaitStreaming(relay);
			}
			assertThat(relay.stop(Duration.ofSeconds(30))).as("graceful stop exit code").isIn(0, 143);
			relay.start();
			awaitStreaming(relay);
		}
		finally {
			writing.set(false);
			writer.join();
		}
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("restart"))) {
			RelayFixture.pollUntil(consumer, records, (all) -> check.check(all).complete(), Duration.ofSeconds(120));
		}
		DeliveryCheck.Result result = check.check(records);
		assertThat(result.committed()).isGreaterThan(600);
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).isZero();
		assertThat(result.distinctDelivered()).isEqualTo(result.committed());
	}

	/** The relay logs "Streaming slot" once it holds the slot. */
	private void awaitStreaming(JavaProcess relay) {
		long marks = countStreamingLines(relay);
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			assertThat(relay.isAlive()).as("relay alive: %s", relay.describe()).isTrue();
			return countStreamingLines(relay) > marks;
		});
	}

	private static long countStreamingLines(JavaProcess relay) {
		try {
			return java.nio.file.Files.lines(relay.logFile()).filter((line) -> line.contains("Streaming slot")).count();
		}
		catch (java.io.IOException ex) {
			return 0;
		}
	}

}
