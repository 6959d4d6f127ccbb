package dev.outbox.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

/**
 * Base of relay tests that use the shared broker and the contract's {@code public.outbox_event}:
 * a fresh {@link RelayFixture} (own slot, publication and topic prefix) per test, closed after it.
 */
@PostgresTest
@KafkaTest
abstract class RelayIntegrationTestSupport {

	protected RelayFixture fixture;

	@BeforeEach
	void createFixture(TestDatabase database, KafkaBroker broker) {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
	}

	@AfterEach
	void closeFixture() {
		this.fixture.close();
	}

}
