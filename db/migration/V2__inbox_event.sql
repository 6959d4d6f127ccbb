-- The inbox table: which events each consumer has applied (dev.outbox.starter.inbox.Inbox).
--
-- A consumer records an event's id here in the same transaction as its own writes, with
-- INSERT ... ON CONFLICT DO NOTHING: one row inserted means "new, apply it", none means
-- "applied before, skip it". The key is (consumer, event_id), not event_id alone, so two
-- consumers sharing a database (two read models fed by one topic, say) each apply every event
-- once. Rows older than outbox.inbox.retention are deleted by the starter, in batches, oldest
-- first through the processed_at index.
--
-- ${inbox_table} and ${inbox_index} are Flyway placeholders, run by the starter with the outbox
-- table's migration (same Flyway instance and history table) unless outbox.inbox.enabled=false.
-- Without Flyway, replace ${inbox_table} by the table name (default public.inbox_event) and
-- ${inbox_index} by the index name (default inbox_event_processed_at), and run this file once.

CREATE TABLE IF NOT EXISTS ${inbox_table} (
    consumer     varchar(255) NOT NULL,
    event_id     varchar(255) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX IF NOT EXISTS ${inbox_index} ON ${inbox_table} (processed_at);
