package dev.outbox.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.starter.write.OutboxCommitListener;
import dev.outbox.starter.write.OutboxRecord;

/**
 * The test kit's {@link OutboxCommitListener}: keeps the events of each committed transaction,
 * numbered in commit order. It stands in for the database when the outbox's DataSource is not
 * PostgreSQL (H2), so events are captured instead of refused; on PostgreSQL the real write path
 * runs and this only watches. Thread-safe.
 */
public class OutboxEventRecorder implements OutboxCommitListener {

	private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
	};

	private final JsonMapper jsonMapper;

	private final List<CapturedOutboxEvent> events = new ArrayList<>();

	private int transactions;

	/**
	 * Create a recorder.
	 * @param jsonMapper the mapper that reads payloads and headers back
	 */
	public OutboxEventRecorder(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public synchronized void committed(List<OutboxRecord> records) {
		int transaction = ++this.transactions;
		for (OutboxRecord record : records) {
			Map<String, String> headers = (record.headers() != null)
					? this.jsonMapper.readValue(record.headers(), HEADERS) : Map.of();
			this.events.add(new CapturedOutboxEvent(record.id(), record.aggregateType(), record.aggregateId(),
					record.eventType(), this.jsonMapper.readTree(record.payload()), headers, record.schemaVersion(),
					transaction, this.jsonMapper));
		}
	}

	@Override
	public boolean capturesWithoutDatabase() {
		return true;
	}

	/** @return the captured events, a copy */
	public synchronized List<CapturedOutboxEvent> events() {
		return List.copyOf(this.events);
	}

	/** Forget every captured event; done before each test method. */
	public synchronized void clear() {
		this.events.clear();
		this.transactions = 0;
	}

}
