package dev.outbox.testsupport.delivery;

import org.jspecify.annotations.Nullable;

/**
 * One record as a consumer read it, named in the terms of the committed events it is checked
 * against.
 *
 * @param key the record's key, or {@code null} for a record sent without one (round-robin
 * partitions)
 * @param event which committed event the record carries, named as the committed events are named
 * (an event id, or for a workload that numbers its events, aggregate and sequence)
 * @param id what a deduplicating sink keys on (the {@code id} header); empty when the record has
 * none
 * @param partition the record's partition
 * @param offset the record's offset
 */
public record Delivery(@Nullable String key, String event, String id, int partition, long offset) {

	/**
	 * A record whose event is named by its id, as for events whose ids the test recorded at commit.
	 * @param key the record's key
	 * @param id the {@code id} header
	 * @param partition the partition
	 * @param offset the offset
	 * @return the delivery
	 */
	public static Delivery ofId(@Nullable String key, String id, int partition, long offset) {
		return new Delivery(key, id, id, partition, offset);
	}

	/** @return where Kafka holds the record, for evidence */
	public String where() {
		return "partition " + this.partition + " offset " + this.offset;
	}

}
