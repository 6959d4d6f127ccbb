package dev.outbox.relay.source;

/**
 * The slot is streamed by another walsender, most likely another relay's: this relay stands by.
 */
public final class SlotInUseException extends RuntimeException {

	/** @param message which slot, and what the server said */
	public SlotInUseException(String message) {
		super(message);
	}

}
