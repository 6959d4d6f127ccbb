package dev.outbox.starter.inbox.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.backoff.FixedBackOff;

import dev.outbox.starter.TestApplications;
import dev.outbox.starter.autoconfigure.InboxAutoConfiguration;
import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.starter.inbox.MicrometerInboxMetrics;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link InboxListener @InboxListener} on real {@code @KafkaListener}s, a real broker and a
 * real PostgreSQL: each record's body applied once per consumer by its {@code id} header,
 * duplicates skipped and counted, a failed body rolled back with its inbox record and applied
 * on redelivery, a record without id refused to the error handler.
 */
@PostgresTest
@KafkaTest
class InboxListenerIntegrationTests {

	private static final String TOPIC = "inbox-listener-" + UUID.randomUUID();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static ConfigurableApplicationContext context;

	private static InboxTopic topic;

	private static JdbcTemplate jdbcTemplate;

	private static MeterRegistry meterRegistry;

	private static TestDatabase database;

	@BeforeAll
	static void start(TestDatabase testDatabase, KafkaBroker kafka) throws Exception {
		database = testDatabase;
		topic = InboxTopic.create(kafka, TOPIC);
		jdbcTemplate = new JdbcTemplate(database.dataSource());
		jdbcTemplate.execute("CREATE TABLE effect (listener text NOT NULL, event_id text, body text NOT NULL, "
				+ "in_transaction boolean NOT NULL)");
		context = TestApplications.start(database, ListenerApplication.class,
				"spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"spring.kafka.consumer.auto-offset-reset=earliest", "test.topic=" + TOPIC,
				"test.mailer-consumer=mailer");
		meterRegistry = context.getBean(MeterRegistry.class);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		if (topic != null) {
			topic.close();
		}
	}

	@Test
	void aRecordDeliveredThreeTimesIsAppliedOncePerConsumerAndItsDuplicatesAreCounted() throws Exception {
		String id = UUID.randomUUID().toString();

		send(id, "placed");
		send(id, "placed");
		send(id, "placed");

		await().atMost(TIMEOUT).until(() -> count(MicrometerInboxMetrics.DUPLICATES, "inbox-history") == 2
				&& count(MicrometerInboxMetrics.DUPLICATES, "mailer") == 2);
		assertThat(effects("history", id)).isEqualTo(1);
		assertThat(effects("mailer", id)).isEqualTo(1);
		// The consumer defaults to the listener's group id; "mailer" is named, from a placeholder.
		assertThat(jdbcTemplate.queryForList("SELECT consumer FROM inbox_event WHERE event_id = ? ORDER BY consumer",
				String.class, id)).containsExactly("inbox-history", "mailer");
		assertThat(jdbcTemplate.queryForObject("SELECT bool_and(in_transaction) FROM effect WHERE event_id = ?",
				Boolean.class, id)).isTrue();
	}

	@Test
	void aBodyThatFailsIsRolledBackWithItsInboxRecordAndAppliedOnRedelivery() throws Exception {
		String id = UUID.randomUUID().toString();

		send(id, "fail-once");

		await().atMost(TIMEOUT).until(() -> effects("history", id) == 1);
		assertThat(HistoryListener.failed).contains(id);
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM inbox_event WHERE consumer = 'inbox-history' "
				+ "AND event_id = ?", Long.class, id)).isEqualTo(1);
		assertThat(ListenerApplication.recovered).noneMatch((failure) -> id.equals(failure.eventId()));
	}

	@Test
	void aRecordWithoutIdHeaderIsNeitherAppliedNorSkippedButFailsToTheErrorHandler() throws Exception {
		String body = "no-id-" + UUID.randomUUID();

		send(null, body);

		await().atMost(TIMEOUT).until(() -> ListenerApplication.recovered.stream()
			.anyMatch((failure) -> body.equals(failure.body()) && failure.cause() instanceof MissingEventIdException));
		Failure failure = ListenerApplication.recovered.stream()
			.filter((candidate) -> body.equals(candidate.body()))
			.findFirst()
			.orElseThrow();
		assertThat(failure.cause()).hasMessageStartingWith("Record " + TOPIC + "-0@")
			.hasMessageContaining("has no 'id' header")
			.hasMessageContaining("neither applied nor skipped");
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM effect WHERE body = ?", Long.class, body))
			.isZero();
	}

	@Test
	void calledOutsideAListenerContainerWithoutConsumerNameTheListenerFailsClearly() {
		HistoryListener listener = context.getBean(HistoryListener.class);
		ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0, "key", "direct");
		record.headers().add("id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));

		assertThatIllegalStateException().isThrownBy(() -> listener.on(record))
			.withMessageContaining("names no consumer")
			.withMessageContaining("@InboxListener(consumer = \"...\")");
	}

	@Test
	void aMethodWithoutConsumerRecordParameterFailsAtStartup() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(InboxAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withBean(PayloadOnlyListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("@InboxListener method")
				.hasMessageContaining("PayloadOnlyListener.on")
				.hasMessageContaining("must take exactly one ConsumerRecord parameter"));
	}

	@Test
	void aMethodReturningAPrimitiveFailsAtStartup() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(InboxAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withBean(PrimitiveListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("returns int, but a skipped duplicate returns null"));
	}

	private static void send(@Nullable String id, String body) throws Exception {
		topic.send((id != null) ? Map.of("id", id) : Map.of(), body);
	}

	private static long effects(String listener, String id) {
		return jdbcTemplate.queryForObject("SELECT count(*) FROM effect WHERE listener = ? AND event_id = ?",
				Long.class, listener, id);
	}

	private static double count(String counter, String consumer) {
		Counter found = meterRegistry.find(counter).tag("consumer", consumer).counter();
		return (found != null) ? found.count() : 0;
	}

	/**
	 * A record the error handler gave up on.
	 *
	 * @param eventId its id header, if any
	 * @param body its value
	 * @param cause why the listener failed
	 */
	record Failure(@Nullable String eventId, String body, Throwable cause) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, KafkaAutoConfiguration.class,
			OutboxAutoConfiguration.class, InboxAutoConfiguration.class })
	static class ListenerApplication {

		static final List<Failure> recovered = new CopyOnWriteArrayList<>();

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		// One retry, then the record is handed to the test instead of being logged and skipped.
		@Bean
		CommonErrorHandler errorHandler() {
			return new DefaultErrorHandler((record, exception) -> {
				var header = record.headers().lastHeader("id");
				recovered.add(new Failure((header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null,
						String.valueOf(record.value()), (exception.getCause() != null) ? exception.getCause()
								: exception));
			}, new FixedBackOff(0, 1));
		}

		@Bean
		HistoryListener historyListener(JdbcTemplate jdbcTemplate) {
			return new HistoryListener(jdbcTemplate);
		}

		@Bean
		MailerListener mailerListener(JdbcTemplate jdbcTemplate) {
			return new MailerListener(jdbcTemplate);
		}

	}

	/**
	 * Consumer named by its group id; fails the first delivery of a "fail-once" record after
	 * writing its effect.
	 */
	static class HistoryListener {

		static final Set<String> failed = ConcurrentHashMap.newKeySet();

		private final JdbcTemplate jdbcTemplate;

		HistoryListener(JdbcTemplate jdbcTemplate) {
			this.jdbcTemplate = jdbcTemplate;
		}

		@KafkaListener(id = "inbox-history", topics = "${test.topic}", groupId = "inbox-history")
		@InboxListener
		void on(ConsumerRecord<String, String> record) {
			String id = new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8);
			recordEffect(this.jdbcTemplate, "history", id, record.value());
			if (record.value().equals("fail-once") && failed.add(id)) {
				throw new IllegalStateException("injected failure after the effect was written");
			}
		}

	}

	/**
	 * Consumer named explicitly, also {@code @Transactional}: it joins the inbox's transaction.
	 */
	static class MailerListener {

		private final JdbcTemplate jdbcTemplate;

		MailerListener(JdbcTemplate jdbcTemplate) {
			this.jdbcTemplate = jdbcTemplate;
		}

		@KafkaListener(id = "inbox-mailer", topics = "${test.topic}", groupId = "inbox-mailer")
		@InboxListener(consumer = "${test.mailer-consumer}")
		@Transactional
		public void on(ConsumerRecord<String, String> record) {
			String id = new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8);
			recordEffect(this.jdbcTemplate, "mailer", id, record.value());
		}

	}

	static void recordEffect(JdbcTemplate jdbcTemplate, String listener, String id, String body) {
		jdbcTemplate.update("INSERT INTO effect (listener, event_id, body, in_transaction) VALUES (?, ?, ?, ?)",
				listener, id, body, TransactionSynchronizationManager.isActualTransactionActive());
	}

	static class PayloadOnlyListener {

		@InboxListener(consumer = "payload")
		void on(String payload) {
		}

	}

	static class PrimitiveListener {

		@InboxListener(consumer = "primitive")
		int on(ConsumerRecord<String, String> record) {
			return 1;
		}

	}

}
