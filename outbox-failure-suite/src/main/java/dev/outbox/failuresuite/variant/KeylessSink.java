package dev.outbox.failuresuite.variant;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;

/**
 * Lab only, and wrong on purpose: the relay's sink with key {@code none}. Routing maps each row as
 * shipped (topic, value, headers, timestamp, the key {@code aggregate_id}); this sink drops the key
 * before the record reaches the producer, so the producer's partitioner, not the aggregate, decides
 * its partition. An aggregate's events then spread over the topic's partitions, and Kafka keeps no
 * order between partitions.
 * <p>
 * Everything else is the shipped sink's, which it wraps: acknowledgements, refusals and dead
 * letters reach the checkpoint as they do in ours, so this variant loses nothing; it only reorders.
 */
final class KeylessSink extends WrappedSink {

	/**
	 * @param producer the shipped sink, which hands records to Kafka's producer
	 */
	KeylessSink(EventSink producer) {
		super(producer);
	}

	@Override
	public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
		return this.producer.trySend(withoutKey(record), delivery);
	}

	/**
	 * @param record a record as routing mapped it
	 * @return the same record with no key and no partition: the partitioner's to place
	 */
	static ProducerRecord<byte[], byte[]> withoutKey(ProducerRecord<byte[], byte[]> record) {
		return new ProducerRecord<>(record.topic(), null, record.timestamp(), null, record.value(), record.headers());
	}

}
