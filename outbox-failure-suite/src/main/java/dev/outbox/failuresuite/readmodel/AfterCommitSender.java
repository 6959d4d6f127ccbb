package dev.outbox.failuresuite.readmodel;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Capture {@code dual-write} on the item workloads ("save, then send"): each change is sent to
 * Kafka after its transaction commits, from a transaction synchronisation's {@code afterCommit},
 * the send awaited, as a service with {@code @TransactionalEventListener(phase = AFTER_COMMIT)}
 * and {@code kafkaTemplate.send(...).get()} does. Nothing joins the commit and the send.
 * <p>
 * Fault {@code kill-between-commit-and-send} is fired at that gap: {@link #dieBeforeNextSend()} makes
 * the next committed change's send never happen, which is all that a {@code kill -9} of the service
 * at that point leaves behind (the sends are awaited one by one, so nothing else is in flight); the
 * writer then goes on as the restarted service would. In process, so that the loss is certain and
 * the run needs no second service.
 */
final class AfterCommitSender implements AutoCloseable {

	private final Producer<String, String> producer;

	private final String topic;

	private final AtomicReference<@Nullable CompletableFuture<ItemChange>> dying = new AtomicReference<>();

	/**
	 * @param bootstrapServers the broker
	 * @param topic where changes go
	 */
	AfterCommitSender(String bootstrapServers, String topic) {
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
				new StringSerializer(), new StringSerializer());
		this.topic = topic;
	}

	/**
	 * Sends the change once the caller's transaction commits; nothing if it rolls back.
	 * @param change a change written in the caller's transaction
	 */
	void sendAfterCommit(ItemChange change) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				send(change);
			}
		});
	}

	private void send(ItemChange change) {
		CompletableFuture<ItemChange> died = this.dying.getAndSet(null);
		if (died != null) {
			died.complete(change); // committed, never sent
			return;
		}
		try {
			this.producer.send(change.record(this.topic)).get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Saved, but not sent: " + change.event(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Saved, but not sent: " + change.event(), ex);
		}
	}

	/**
	 * Fault {@code kill-between-commit-and-send}: the next change to commit is never sent.
	 * @return that change, once it committed
	 */
	CompletableFuture<ItemChange> dieBeforeNextSend() {
		CompletableFuture<ItemChange> died = new CompletableFuture<>();
		this.dying.set(died);
		return died;
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
