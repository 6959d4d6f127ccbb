package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("pg-versions")
class RelayRestartIntegrationTests extends RelayIntegrationTestSupport {


	@Test
	void killNineAndGracefulRestartsLoseNothingAndKeepPerAggregateOrder() throws Exception {
		CommittedEvents committed = new CommittedEvents();
		JavaProcess relay = this.fixture.startRelayProcess("a");
		this.fixture.awaitStreaming(relay);
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "restart", 20, 20, committed)) {
			for (int kill = 0; kill < 3; kill++) {
				int before = committed.count();
				await().atMost(Duration.ofSeconds(60)).until(() -> committed.count() > before + 200);
				relay.kill();
				relay.start();
				this.fixture.awaitStreaming(relay);
			}
			assertThat(relay.stop(Duration.ofSeconds(30))).as("graceful stop exit code").isIn(0, 143);
			relay.start();
			this.fixture.awaitStreaming(relay);
		}
		Examination result = this.fixture.awaitDelivered(committed, "restart", Duration.ofSeconds(120));
		assertThat(result.committed()).isGreaterThan(600);
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
		assertThat(result.distinctDelivered()).isEqualTo(result.committed());
	}

}
