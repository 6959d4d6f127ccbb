package dev.outbox.failuresuite.variant;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;

/**
 * Lab only, and wrong on purpose: the relay's sink with key {@code none}. Routing maps each row as
 * shipped (topic, value, headers, timestamp, the key {@code aggregate_id}); this sink drops the key
 * before the record reaches the producer and places each record on the topic's partitions in turn,
 * as a round-robin partitioner would (the shipped relay refuses that partitioner, so the variant
 * does the placing itself). An aggregate's events then spread over the topic's partitions, and
 * Kafka keeps no order between partitions.
 * <p>
 * Everything else is the shipped sink's, which it wraps: acknowledgements, refusals and dead
 * letters reach the checkpoint as they do in ours, so this variant loses nothing; it only reorders.
 */
final class KeylessSink extends WrappedSink {

	/**
	 * @param producer the shipped sink, which hands records to Kafka's producer
	 */
	private final int partitions;

	/** The partition of the next record; the reader thread is the only caller. */
	private int next;

	/**
	 * @param producer the shipped sink, which hands records to Kafka's producer
	 * @param partitions how many partitions the lab's topics have
	 */
	KeylessSink(EventSink producer, int partitions) {
		super(producer);
		this.partitions = partitions;
	}

	@Override
	public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
		boolean taken = this.producer.trySend(withoutKey(record, this.next), delivery);
		if (taken) {
			this.next = (this.next + 1) % this.partitions;
		}
		return taken;
	}

	/**
	 * @param record a record as routing mapped it
	 * @param partition where it goes
	 * @return the same record with no key, on the given partition
	 */
	static ProducerRecord<byte[], byte[]> withoutKey(ProducerRecord<byte[], byte[]> record, int partition) {
		return new ProducerRecord<>(record.topic(), partition, record.timestamp(), null, record.value(),
				record.headers());
	}

}
