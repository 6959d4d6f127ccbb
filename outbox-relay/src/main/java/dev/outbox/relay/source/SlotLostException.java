package dev.outbox.relay.source;

/**
 * The replication slot was dropped or invalidated ({@code wal_status = lost}) after the relay used
 * it: WAL the relay had not read is gone, and events may be lost. The relay never quietly
 * recreates the slot past such a gap; an operator has to decide.
 */
public class SlotLostException extends RuntimeException {

	/**
	 * @param message what happened and what to do
	 */
	public SlotLostException(String message) {
		super(message);
	}

}
