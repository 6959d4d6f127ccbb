package dev.outbox.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An error that is not about the record itself (here an ACL that denies the relay the topic) is
 * never dead-lettered, even with {@code outbox.relay.dead-letter-topic} set: one ACL mistake would
 * otherwise divert every event of the topic while the slot advances. The relay stops instead, with
 * health DOWN naming the topic, the event and the error, and confirms nothing past the event.
 */
@PostgresTest
class RelayNonRecordErrorIntegrationTests {

	private static KafkaBroker broker;

	private RelayFixture fixture;

	@BeforeAll
	static void startBrokerWithAuthorizer() {
		broker = KafkaBroker.startPrivate("acl",
				List.of("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
						"allow.everyone.if.no.acl.found=true"));
	}

	@AfterAll
	static void stopBroker() {
		broker.stop();
	}

	@BeforeEach
	void createFixture(TestDatabase database) {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
	}

	@AfterEach
	void closeFixture() {
		this.fixture.close();
	}

	@Test
	void topicAuthorizationErrorStopsTheRelayInsteadOfDeadLetteringAndConfirmsNothingPastTheEvent() throws Exception {
		String topic = this.fixture.topic("denied");
		String deadLetters = this.fixture.topicPrefix + ".dead-letters";
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(deadLetters, 1, (short) 1)))
				.all().get(30, TimeUnit.SECONDS);
			admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
					new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.WRITE, AclPermissionType.DENY))))
				.all().get(30, TimeUnit.SECONDS);
		}
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding("outbox.relay.topics.create=false",
				"outbox.relay.dead-letter-topic=" + deadLetters);
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		List<String> denied = this.fixture.writeTransaction("denied", "agg-1", 1);
		String afterWrites = this.fixture.queryString("SELECT pg_current_wal_lsn()::text");

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			Map<String, Object> details = health.health(true).getDetails();
			assertThat(details).containsEntry("state", "failed").containsEntry("failedEventId", denied.get(0));
			assertThat(String.valueOf(details.get("message"))).contains(topic)
				.contains("TopicAuthorizationException");
		});
		assertThat("t".equals(this.fixture.queryString("SELECT ('" + this.fixture.slotColumn("confirmed_flush_lsn")
				+ "'::pg_lsn < '" + afterWrites + "'::pg_lsn)::text").substring(0, 1)))
			.as("the slot stays before the denied event's commit").isTrue();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			long deadLettered = admin.listOffsets(Map.of(new TopicPartition(deadLetters, 0), OffsetSpec.latest()))
				.all().get(30, TimeUnit.SECONDS).get(new TopicPartition(deadLetters, 0)).offset();
			assertThat(deadLettered).as("records on the dead-letter topic").isZero();
		}
	}

}
