package dev.outbox.starter.autoconfigure;

import java.util.List;

/**
 * Thrown at startup when the outbox cannot tell which DataSource to use: the application has
 * several and neither {@code outbox.datasource} nor {@code @Primary} picks one, or
 * {@code outbox.datasource} names a bean that is not a DataSource.
 * {@link AmbiguousOutboxDataSourceFailureAnalyzer} reports it.
 */
public class AmbiguousOutboxDataSourceException extends IllegalStateException {

	private final String problem;

	private final List<String> candidates;

	/**
	 * Create the exception.
	 * @param problem what is wrong
	 * @param candidates the names of the application's DataSource beans
	 */
	public AmbiguousOutboxDataSourceException(String problem, List<String> candidates) {
		super(problem + "; DataSource beans: " + candidates + ". " + action(candidates));
		this.problem = problem;
		this.candidates = List.copyOf(candidates);
	}

	/** @return what is wrong, without the fix */
	public String problem() {
		return this.problem;
	}

	/** @return the names of the application's DataSource beans */
	public List<String> candidates() {
		return this.candidates;
	}

	/** @return the fix */
	public String action() {
		return action(this.candidates);
	}

	private static String action(List<String> candidates) {
		return "Set " + OutboxDataSource.PROPERTY + " to the name of the DataSource bean the outbox's events are "
				+ "written in (" + String.join(", ", candidates) + "), or mark that DataSource @Primary";
	}

}
