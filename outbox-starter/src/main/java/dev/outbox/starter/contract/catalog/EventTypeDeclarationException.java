package dev.outbox.starter.contract.catalog;

import java.util.List;

/**
 * Thrown at startup when the application's event type declarations are invalid: an event
 * type declared with two payload types, or an {@code @OutboxEvent} whose payload type cannot
 * be known. Spring Boot reports it as "APPLICATION FAILED TO START" with each problem as the
 * description and the fix as the action. The message holds all three.
 */
public class EventTypeDeclarationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String summary;

	private final List<String> problems;

	private final String action;

	/**
	 * Create a new exception.
	 * @param summary what kind of problem, for example "Conflicting event type declarations"
	 * @param problems each problem, naming the declarations involved
	 * @param action how to fix them
	 */
	public EventTypeDeclarationException(String summary, List<String> problems, String action) {
		super(summary + ":\n - " + String.join("\n - ", problems) + "\n" + action);
		this.summary = summary;
		this.problems = List.copyOf(problems);
		this.action = action;
	}

	/**
	 * What kind of problem this is.
	 * @return the summary
	 */
	public String summary() {
		return this.summary;
	}

	/**
	 * Each problem, naming the declarations involved.
	 * @return the problems
	 */
	public List<String> problems() {
		return this.problems;
	}

	/**
	 * How to fix the problems.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
