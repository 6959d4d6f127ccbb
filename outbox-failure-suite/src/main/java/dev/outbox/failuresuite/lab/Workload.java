package dev.outbox.failuresuite.lab;

/** What a lab run writes, and what "correct" means at the sink. One per run. */
public enum Workload implements Choice {

	/**
	 * Upserts and deletes of documents; correct: the index equals the source table, deletes
	 * included, last write wins per key.
	 */
	SEARCH_INDEX("upserts and deletes of documents",
			"the index equals the source table (deletes included, last write wins per key)"),

	/** Every change; correct: each exactly once in effect, in per-entity order. */
	AUDIT_LOG("every change of every entity", "every change exactly once in effect, in per-entity order"),

	/**
	 * Domain events per aggregate (the failure suite's workload); correct: no loss, per-aggregate
	 * order, effects applied once.
	 */
	MICROSERVICE_EVENTS("domain events per aggregate", "no loss, per-aggregate order, effects applied once"),

	/** Events a consumer projects; correct: the projection equals the source after the run. */
	READ_MODEL("changes a consumer projects", "the projection equals the source after the run");

	private final String events;

	private final String correct;

	Workload(String events, String correct) {
		this.events = events;
		this.correct = correct;
	}

	/** @return what it writes */
	public String events() {
		return this.events;
	}

	/** @return what the sink must show at the end of a run for it to be correct */
	public String correct() {
		return this.correct;
	}

}
