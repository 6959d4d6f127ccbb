package dev.outbox.relay.pipeline;

/**
 * An event that can be neither published nor skipped: the relay stops, with health DOWN naming
 * the event and its position, and confirms nothing past it.
 */
final class PermanentFailure extends RuntimeException {

	private final String eventId;

	private final long lsn;

	PermanentFailure(String message, String eventId, long lsn, Throwable cause) {
		super(message, cause);
		this.eventId = eventId;
		this.lsn = lsn;
	}

	String eventId() {
		return this.eventId;
	}

	long lsn() {
		return this.lsn;
	}

}
