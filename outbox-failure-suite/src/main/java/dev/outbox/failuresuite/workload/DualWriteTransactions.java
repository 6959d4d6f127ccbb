package dev.outbox.failuresuite.workload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broken baseline ("save, then send"): the same transaction as {@link OutboxTransactions}
 * without the outbox, then one Kafka send per event after the commit, each awaited, the way a
 * service with {@code repository.save(...); kafkaTemplate.send(...).get()} does. A crash after the
 * commit and before the last send loses the rest for good; two transactions of one aggregate on
 * two threads can also reach Kafka in the other order.
 * <p>
 * For the lab's fault {@code kill-between-commit-and-send} it can stop at that point on purpose:
 * the thread that commits the {@code parkAfterCommit}-th transaction of the process prints
 * {@value #PARKED} and parks for good before its first send, so that a {@code kill -9} then loses
 * that transaction's events for certain, not by luck.
 */
public final class DualWriteTransactions implements TransactionWriter {

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final Producer<String, String> producer;

	private final String topic;

	private final JsonMapper json;

	private final long parkAfterCommit;

	private final AtomicLong commits = new AtomicLong();

	/** What a service parked at its kill point prints, before the transaction's events. */
	public static final String PARKED = "dual-write: parked after the commit, before the send";

	/**
	 * @param transactions the application's transactions
	 * @param jdbc its database
	 * @param producer an ordinary producer
	 * @param topic where events go
	 * @param json the payload mapper
	 * @param parkAfterCommit the transaction (counted from 1 in this process) after whose commit its
	 * thread parks for good instead of sending; 0 for never
	 */
	public DualWriteTransactions(TransactionTemplate transactions, JdbcTemplate jdbc, Producer<String, String> producer,
			String topic, JsonMapper json, long parkAfterCommit) {
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.producer = producer;
		this.topic = topic;
		this.json = json;
		this.parkAfterCommit = parkAfterCommit;
	}

	@Override
	public void write(List<Change> changes) {
		List<AccountChanged> events = new ArrayList<>();
		this.transactions.executeWithoutResult((status) -> {
			for (Change change : changes) {
				long version = OutboxTransactions.raiseVersion(this.jdbc, change);
				for (long seq = version - change.events() + 1; seq <= version; seq++) {
					events.add(new AccountChanged(change.aggregateId(), seq));
				}
			}
		});
		// Saved. Now send: the window the outbox closes.
		if (this.commits.incrementAndGet() == this.parkAfterCommit) {
			System.out.println(PARKED + ": " + events.size() + " events, " + events);
			System.out.flush();
			while (true) {
				LockSupport.park(this); // until killed
			}
		}
		for (AccountChanged event : events) {
			ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, event.aggregate(),
					this.json.writeValueAsString(event));
			record.headers().add("id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
			try {
				this.producer.send(record).get();
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Saved, but not sent: " + event, ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Saved, but not sent: " + event, ex);
			}
		}
	}

}
