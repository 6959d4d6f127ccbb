package dev.outbox.relay.source;

import org.jspecify.annotations.Nullable;

/**
 * The relay cannot start as configured. The message names the setting and the fix; the
 * application fails to start with it rather than run and publish nothing. Startup reports it as
 * Spring Boot's "APPLICATION FAILED TO START" with a description ({@link #problem()}) and an action
 * ({@link #action()}), not as a stack trace.
 */
public class RelayStartupException extends RuntimeException {

	private final String problem;

	private final @Nullable String action;

	/**
	 * @param message what is wrong and how to fix it
	 */
	public RelayStartupException(String message) {
		this(message, null, null);
	}

	/**
	 * @param message what is wrong and how to fix it
	 * @param cause the underlying error
	 */
	public RelayStartupException(String message, Throwable cause) {
		this(message, null, cause);
	}

	/**
	 * An error whose message is {@code problem + ". " + action}.
	 * @param problem what is wrong, naming the setting
	 * @param action how to fix it, or {@code null} when the problem says it
	 * @param cause the underlying error, or {@code null}
	 */
	public RelayStartupException(String problem, @Nullable String action, @Nullable Throwable cause) {
		super((action != null) ? problem + ". " + action : problem, cause);
		this.problem = problem;
		this.action = action;
	}

	/** @return what is wrong, naming the setting (the whole message when it has no separate action) */
	public String problem() {
		return this.problem;
	}

	/** @return how to fix it, or {@code null} when {@link #problem()} says it */
	public @Nullable String action() {
		return this.action;
	}

}
