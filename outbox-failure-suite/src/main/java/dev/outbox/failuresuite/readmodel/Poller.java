package dev.outbox.failuresuite.readmodel;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One poll of a polling capture: finds what changed, sends it, and records its progress only after
 * Kafka acknowledged every record of the batch.
 */
public interface Poller {

	/**
	 * Polls once, in one transaction of {@code connection} (auto-commit off).
	 * @param connection the poller's connection
	 * @param producer an idempotent producer with {@code acks=all}
	 * @return how many rows it sent
	 * @throws SQLException when the database fails; nothing of the batch is marked
	 * @throws ExecutionException when Kafka did not acknowledge a record; nothing of the batch is marked
	 * @throws InterruptedException when stopped while awaiting acknowledgements
	 */
	int poll(Connection connection, Producer<String, String> producer)
			throws SQLException, ExecutionException, InterruptedException;

	/**
	 * Sends every change and waits until Kafka acknowledged each, then passes the kill point.
	 * @param producer the producer
	 * @param topic where
	 * @param changes what, in the order found
	 * @param killPoint where {@code poller-kill-9} may park the poller: acknowledged, not yet recorded
	 * @throws ExecutionException when one was not acknowledged
	 * @throws InterruptedException when stopped while waiting
	 */
	static void sendAll(Producer<String, String> producer, String topic, List<ItemChange> changes, KillPoint killPoint)
			throws ExecutionException, InterruptedException {
		List<Future<RecordMetadata>> sent = new ArrayList<>(changes.size());
		for (ItemChange change : changes) {
			sent.add(producer.send(change.record(topic)));
		}
		producer.flush();
		for (Future<RecordMetadata> ack : sent) {
			ack.get();
		}
		killPoint.acknowledged(changes.size());
	}

}
