package dev.outbox.failuresuite.readmodel;

import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.scenario.WorkloadCheck.Judgement;
import dev.outbox.testsupport.delivery.Delivery;

/**
 * The {@code search-index} workload's sink: an index of documents keyed by item,
 * {@code si_document (id, version, value, updated_at, deleted)}, written as a search engine's sink
 * writes one with external versions (Elasticsearch's {@code version_type=external}): a change is
 * applied only over an older version of its document, and a delete leaves a versioned tombstone, so
 * that an upsert older than the delete cannot bring the document back. So last write wins per key
 * by version, not by arrival: a redelivery, or any change older than what the index holds, changes
 * nothing, and no inbox is needed in front of it (a search engine has no transaction to share one
 * with). The searchable index is {@code si_live}, the documents not deleted. Correct: after the run
 * it equals the business table, deletes included.
 * <p>
 * Without the version check (applying each delivery as it comes) an older redelivered upsert would
 * overwrite a newer document and a redelivered upsert after a delete would bring it back until the
 * replay reached the later change again; with no later change it stays wrong.
 */
final class SearchIndex implements ItemSink {

	/** The searchable documents: those not deleted. */
	static final String LIVE = "si_live";

	@Override
	public void create(JdbcTemplate jdbc) {
		jdbc.execute("CREATE TABLE si_document (id bigint PRIMARY KEY, version bigint NOT NULL, value text NOT NULL, "
				+ "updated_at timestamptz NOT NULL, deleted boolean NOT NULL)");
		jdbc.execute("CREATE VIEW " + LIVE + " AS SELECT id, version, value FROM si_document WHERE NOT deleted");
		jdbc.execute("CREATE VIEW " + REACHED + " AS SELECT id, version, updated_at FROM si_document");
	}

	@Override
	public boolean apply(JdbcTemplate jdbc, ItemChange change) {
		return jdbc.update("INSERT INTO si_document (id, version, value, updated_at, deleted) VALUES (?, ?, ?, ?, ?) "
				+ "ON CONFLICT (id) DO UPDATE SET version = excluded.version, value = excluded.value, "
				+ "updated_at = excluded.updated_at, deleted = excluded.deleted "
				+ "WHERE si_document.version < excluded.version", change.id(), change.version(), change.value(),
				ItemChange.timestamp(change.updatedAtMicros()), change.deletes()) > 0;
	}

	@Override
	public boolean idempotentByVersion() {
		return true;
	}

	@Override
	public Judgement judge(JdbcTemplate jdbc, List<Delivery> deliveries, long skipped, long appliedMoreThanOnce,
			Set<Observation> observed) {
		return ReadModelCheck.judge(jdbc, LIVE, "index", deliveries, skipped, appliedMoreThanOnce, observed);
	}

}
