package dev.outbox.failuresuite.lab;

/** Slot 3: the Kafka record key, and so whether one aggregate's events share a partition. */
public enum Key implements Choice {

	/** Keyed by aggregate: one partition per aggregate, its order kept. */
	AGGREGATE_ID {
		@Override
		public String option() {
			return "aggregate_id";
		}
	},

	/** No key: round-robin partitions. */
	NONE

}
