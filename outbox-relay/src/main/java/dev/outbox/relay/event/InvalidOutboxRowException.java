package dev.outbox.relay.event;

/**
 * An outbox row that cannot become a Kafka record (for example, an aggregate type that makes an
 * invalid topic name). The relay stops on it rather than skip it: skipping would lose an event.
 */
public class InvalidOutboxRowException extends RuntimeException {

	/**
	 * @param message what is wrong, naming the event, the field and the fix
	 */
	public InvalidOutboxRowException(String message) {
		super(message);
	}

	/**
	 * @param message what is wrong, naming the event, the field and the fix
	 * @param cause the underlying error
	 */
	public InvalidOutboxRowException(String message, Throwable cause) {
		super(message, cause);
	}

}
