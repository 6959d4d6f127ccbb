package dev.outbox.relay.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * The replication connection's {@code socketFactory}: plain sockets whose input stream tells a
 * {@link ReceiveClock} whenever bytes arrive. pgjdbc creates it by class name with the clock's id
 * ({@code socketFactoryArg}); TLS, when configured, is layered over these sockets by the driver,
 * so encrypted bytes are counted as they arrive.
 */
public final class ReceiveClockSocketFactory extends SocketFactory {

	private final ReceiveClock clock;

	/**
	 * @param clockId the id of an open {@link ReceiveClock}
	 */
	public ReceiveClockSocketFactory(String clockId) {
		ReceiveClock found = (clockId != null) ? ReceiveClock.find(clockId) : null;
		if (found == null) {
			throw new IllegalArgumentException("No open ReceiveClock with id " + clockId
					+ "; this socket factory is the relay's own and is set by ReplicationConnection, not in a JDBC URL");
		}
		this.clock = found;
	}

	@Override
	public Socket createSocket() {
		return new ClockedSocket(this.clock);
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port), null);
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return connected(new InetSocketAddress(host, port), null);
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
	}

	private Socket connected(InetSocketAddress remote, @Nullable InetSocketAddress local) throws IOException {
		Socket socket = createSocket();
		if (local != null) {
			socket.bind(local);
		}
		socket.connect(remote);
		return socket;
	}

	private static final class ClockedSocket extends Socket {

		private final ReceiveClock clock;

		ClockedSocket(ReceiveClock clock) {
			this.clock = clock;
		}

		@Override
		public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
			super.connect(endpoint, timeout);
			this.clock.attached();
		}

		@Override
		public InputStream getInputStream() throws IOException {
			return new ClockedInputStream(super.getInputStream(), this.clock);
		}

	}

	private static final class ClockedInputStream extends FilterInputStream {

		private final ReceiveClock clock;

		ClockedInputStream(InputStream in, ReceiveClock clock) {
			super(in);
			this.clock = clock;
		}

		@Override
		public int read() throws IOException {
			int value = super.read();
			if (value >= 0) {
				this.clock.received();
			}
			return value;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int count = this.in.read(buffer, offset, length);
			if (count > 0) {
				this.clock.received();
			}
			return count;
		}

	}

}
