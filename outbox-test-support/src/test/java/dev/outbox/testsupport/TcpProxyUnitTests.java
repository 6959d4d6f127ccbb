package dev.outbox.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The proxy's three modes against an echo server: pass forwards, drop resets open and new
 * connections, stall holds bytes on an open connection and lets them through afterwards.
 */
class TcpProxyUnitTests {

	private ServerSocket echo;

	private TcpProxy proxy;

	@BeforeEach
	void echoServerBehindProxy() throws IOException {
		this.echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread server = new Thread(() -> {
			while (!this.echo.isClosed()) {
				try {
					Socket client = this.echo.accept();
					Thread pump = new Thread(() -> {
						try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
							in.transferTo(out);
						}
						catch (IOException ex) {
							// client gone
						}
					});
					pump.setDaemon(true);
					pump.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		});
		server.setDaemon(true);
		server.start();
		this.proxy = TcpProxy.open("test").forwardTo(this.echo.getLocalPort());
	}

	@AfterEach
	void close() throws IOException {
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void passForwardsBothWays() throws IOException {
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
		}
	}

	@Test
	void dropResetsOpenConnectionsAndNewOnesUntilPassAgain() throws IOException {
		try (Socket open = connect()) {
			assertThat(roundTrip(open, "before")).isEqualTo("before");
			this.proxy.set(TcpProxy.Mode.DROP);
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
				roundTrip(open, "during");
				roundTrip(open, "during");
			});
		}
		try (Socket fresh = connect()) {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> roundTrip(fresh, "refused"));
		}
		assertThat(this.proxy.dropped()).isGreaterThanOrEqualTo(2);
		this.proxy.set(TcpProxy.Mode.PASS);
		try (Socket again = connect()) {
			assertThat(roundTrip(again, "after")).isEqualTo("after");
		}
	}

	@Test
	void stallKeepsTheConnectionOpenAndSilentThenDeliversWhatWasHeld() throws Exception {
		try (Socket socket = connect()) {
			assertThat(roundTrip(socket, "before")).isEqualTo("before");
			this.proxy.set(TcpProxy.Mode.STALL);
			socket.getOutputStream().write("held".getBytes());
			socket.setSoTimeout(300);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
			this.proxy.set(TcpProxy.Mode.PASS);
			socket.setSoTimeout(5000);
			byte[] held = socket.getInputStream().readNBytes(4);
			assertThat(new String(held)).isEqualTo("held");
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.proxy.port());
		socket.setSoTimeout(5000);
		return socket;
	}

	private static String roundTrip(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes());
		byte[] answer = socket.getInputStream().readNBytes(text.length());
		if (answer.length < text.length()) {
			throw new SocketException("connection closed after " + answer.length + " bytes");
		}
		return new String(answer);
	}

}
