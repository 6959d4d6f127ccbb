package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.JavaProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("pg-versions")
class RelayRestartIntegrationTests extends RelayIntegrationTestSupport {


	@Test
	void killNineAndGracefulRestartsLoseNothingAndKeepPerAggregateOrder() throws Exception {
		DeliveryCheck check = new DeliveryCheck();
		JavaProcess relay = this.fixture.startRelayProcess("a");
		this.fixture.awaitStreaming(relay);
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "restart", 20, 20, check)) {
			for (int kill = 0; kill < 3; kill++) {
				int before = check.committedCount();
				await().atMost(Duration.ofSeconds(60)).until(() -> check.committedCount() > before + 200);
				relay.kill();
				relay.start();
				this.fixture.awaitStreaming(relay);
			}
			assertThat(relay.stop(Duration.ofSeconds(30))).as("graceful stop exit code").isIn(0, 143);
			relay.start();
			this.fixture.awaitStreaming(relay);
		}
		DeliveryCheck.Result result = this.fixture.awaitDelivered(check, "restart", Duration.ofSeconds(120));
		assertThat(result.committed()).isGreaterThan(600);
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstViolation()).isZero();
		assertThat(result.distinctDelivered()).isEqualTo(result.committed());
	}

}
