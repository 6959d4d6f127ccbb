package dev.outbox.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between one client (the relay) and one server (PostgreSQL or a Kafka
 * listener), whose link a test (the failure suite, a relay test) cuts and stalls.
 * <ul>
 * <li>{@link Mode#PASS}: bytes flow both ways.</li>
 * <li>{@link Mode#DROP}: every open connection is closed at once (both ends see a reset), and
 * each new connection is accepted and reset at once: a link that refuses.</li>
 * <li>{@link Mode#STALL}: connections stay open and nothing is forwarded either way, not even a
 * close; new connections are accepted and left silent. Both ends see a black hole, and only
 * their own timeouts can tell. Back to {@code PASS}, what was held flows on.</li>
 * </ul>
 * One thread accepts; two threads per connection pump bytes, one each way. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

	/** What the proxy does with connections. */
	public enum Mode {

		/** Forward both ways. */
		PASS,

		/** Close all connections, reset new ones. */
		DROP,

		/** Keep connections open, forward nothing. */
		STALL

	}

	private final String name;

	private final ServerSocket listener;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final Object modeChange = new Object();

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private volatile Mode mode = Mode.PASS;

	private volatile int targetPort = -1;

	private volatile boolean open = true;

	private TcpProxy(String name, ServerSocket listener) {
		this.name = name;
		this.listener = listener;
		Thread acceptor = new Thread(this::accept, "proxy-" + name + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Binds a proxy to a free port on 127.0.0.1; it forwards once {@link #forwardTo(int)} names the server.
	 * @param name readable name, for threads and messages
	 * @return the listening proxy, in {@link Mode#PASS}
	 */
	public static TcpProxy open(String name) {
		try {
			ServerSocket listener = new ServerSocket();
			listener.setReuseAddress(true);
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
			return new TcpProxy(name, listener);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open proxy " + name, ex);
		}
	}

	/**
	 * Names the server that new connections go to.
	 * @param port its port on 127.0.0.1
	 * @return this proxy
	 */
	public TcpProxy forwardTo(int port) {
		this.targetPort = port;
		return this;
	}

	/** @return the port clients connect to */
	public int port() {
		return this.listener.getLocalPort();
	}

	/** @return the current mode */
	public Mode mode() {
		return this.mode;
	}

	/** @return connections accepted so far */
	public long accepted() {
		return this.accepted.get();
	}

	/** @return connections closed or reset by {@link Mode#DROP} so far */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * Switches the mode; {@link Mode#DROP} closes every open connection before returning.
	 * @param next the new mode
	 */
	public void set(Mode next) {
		synchronized (this.modeChange) {
			this.mode = next;
			this.modeChange.notifyAll();
		}
		if (next == Mode.DROP) {
			for (Link link : this.links) {
				link.reset();
				this.dropped.incrementAndGet();
			}
		}
	}

	private void accept() {
		while (this.open) {
			Socket client;
			try {
				client = this.listener.accept();
			}
			catch (IOException ex) {
				return; // closed
			}
			this.accepted.incrementAndGet();
			if (this.mode == Mode.DROP) {
				this.dropped.incrementAndGet();
				resetQuietly(client);
				continue;
			}
			Link link = new Link(client);
			this.links.add(link);
			Thread connector = new Thread(link::connect, "proxy-" + this.name + "-connect");
			connector.setDaemon(true);
			connector.start();
		}
	}

	/**
	 * Waits while the mode is STALL.
	 * @return whether to go on forwarding (false once the mode is DROP or the proxy closed)
	 */
	private boolean awaitForwarding() {
		synchronized (this.modeChange) {
			while (this.open && this.mode == Mode.STALL) {
				try {
					this.modeChange.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return this.open && this.mode == Mode.PASS;
		}
	}

	private static void resetQuietly(Socket socket) {
		try {
			socket.setSoLinger(true, 0); // RST, not FIN: the peer sees "connection reset"
			socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	@Override
	public void close() {
		this.open = false;
		synchronized (this.modeChange) {
			this.modeChange.notifyAll();
		}
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.links.forEach(Link::reset);
	}

	@Override
	public String toString() {
		return "proxy " + this.name + " 127.0.0.1:" + port() + " -> 127.0.0.1:" + this.targetPort + " (" + this.mode
				+ ")";
	}

	/** One client connection and its server connection. */
	private final class Link {

		private final Socket client;

		private volatile Socket server;

		Link(Socket client) {
			this.client = client;
		}

		void connect() {
			// A stalled link does not even reach the server: the client sees a silent connection.
			if (!awaitForwarding()) {
				reset();
				return;
			}
			try {
				Socket upstream = new Socket();
				this.server = upstream;
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), TcpProxy.this.targetPort), 5000);
				upstream.setTcpNoDelay(true);
				this.client.setTcpNoDelay(true);
				start(this.client, upstream, "up");
				start(upstream, this.client, "down");
			}
			catch (IOException ex) {
				reset();
			}
		}

		private void start(Socket from, Socket to, String direction) {
			Thread pump = new Thread(() -> pump(from, to), "proxy-" + TcpProxy.this.name + "-" + direction);
			pump.setDaemon(true);
			pump.start();
		}

		private void pump(Socket from, Socket to) {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				while (true) {
					int read = in.read(buffer);
					// Hold what was read (or the end of stream) while stalled; a DROP ends the link.
					if (!awaitForwarding()) {
						break;
					}
					if (read < 0) {
						break;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (SocketException ex) {
				// reset by DROP or by a peer
			}
			catch (IOException ex) {
				// the link is gone either way
			}
			finally {
				closeBoth();
			}
		}

		private void closeBoth() {
			TcpProxy.this.links.remove(this);
			closeQuietly(this.client);
			Socket upstream = this.server;
			if (upstream != null) {
				closeQuietly(upstream);
			}
		}

		void reset() {
			TcpProxy.this.links.remove(this);
			resetQuietly(this.client);
			Socket upstream = this.server;
			if (upstream != null) {
				resetQuietly(upstream);
			}
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

	}

}
