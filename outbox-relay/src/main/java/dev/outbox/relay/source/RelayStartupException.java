package dev.outbox.relay.source;

/**
 * The relay cannot start as configured. The message names the setting and the fix; the
 * application fails to start with it rather than run and publish nothing.
 */
public class RelayStartupException extends RuntimeException {

	/**
	 * @param message what is wrong and how to fix it
	 */
	public RelayStartupException(String message) {
		super(message);
	}

	/**
	 * @param message what is wrong and how to fix it
	 * @param cause the underlying error
	 */
	public RelayStartupException(String message, Throwable cause) {
		super(message, cause);
	}

}
