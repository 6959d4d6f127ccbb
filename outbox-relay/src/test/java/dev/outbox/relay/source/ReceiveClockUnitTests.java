package dev.outbox.relay.source;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class ReceiveClockUnitTests {

	@Test
	void bytesArrivingOnASocketOfTheFactoryEndTheSilence() throws Exception {
		try (ReceiveClock clock = ReceiveClock.open();
				ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new ReceiveClockSocketFactory(clock.id()).createSocket()) {
			client.connect(server.getLocalSocketAddress());
			assertThat(clock.isAttached()).isTrue();
			try (Socket accepted = server.accept()) {
				InputStream in = client.getInputStream();
				await().atMost(Duration.ofSeconds(10)).until(() -> clock.silence().toMillis() >= 200);

				OutputStream out = accepted.getOutputStream();
				out.write(new byte[] { 1, 2, 3 });
				out.flush();
				assertThat(in.read(new byte[3], 0, 3)).isPositive();

				assertThat(clock.silence()).isLessThan(Duration.ofMillis(200));
			}
		}
	}

	@Test
	void clockNoSocketIsAttachedToReportsNoSilence() {
		try (ReceiveClock clock = ReceiveClock.open()) {
			assertThat(clock.isAttached()).isFalse();
			assertThat(clock.silence()).isZero();
		}
	}

	@Test
	void socketFactoryForAClosedClockIsRejectedSayingItIsTheRelaysOwn() {
		ReceiveClock clock = ReceiveClock.open();
		clock.close();
		assertThatIllegalArgumentException().isThrownBy(() -> new ReceiveClockSocketFactory(clock.id()))
			.withMessageContaining("the relay's own");
	}

}
