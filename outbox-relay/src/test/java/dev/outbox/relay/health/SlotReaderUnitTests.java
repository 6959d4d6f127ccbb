package dev.outbox.relay.health;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.outbox.relay.source.ConnectionSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A silent PostgreSQL (a socket that accepts connections and never answers) keeps no reader
 * waiting longer than {@link SlotReader#TIMEOUT}, and a read while the earlier one still hangs fails
 * at once.
 */
class SlotReaderUnitTests {

	@Test
	void silentServerFailsTheReadWithinTheTimeoutAndTheNextReadAtOnce() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
				SlotReader reader = new SlotReader(new ConnectionSettings(
						"jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/outbox", "relay", null), "slot")) {
			long started = System.nanoTime();
			assertThatExceptionOfType(SQLTimeoutException.class).isThrownBy(reader::read)
				.withMessage("PostgreSQL did not answer within 1.0s (spring.datasource.url)");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			started = System.nanoTime();
			assertThatExceptionOfType(SQLTimeoutException.class).isThrownBy(reader::read)
				.withMessageStartingWith("PostgreSQL did not answer the health query sent ");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
		}
	}

}
