package dev.outbox.failuresuite.lab;

/** Slot 5: how the consumer applies what Kafka delivers. */
public enum Sink implements Choice {

	/** Through the inbox: each event id applied once, redeliveries skipped. */
	IDEMPOTENT,

	/** Applies every delivery, redeliveries included. */
	NAIVE

}
