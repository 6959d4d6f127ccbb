-- The outbox table contract.
--
-- Any writer, in any language, that INSERTs a row of this shape and DELETEs the same row in
-- one transaction produces exactly one event: the table stays empty and the WAL keeps the
-- INSERT for the relay to decode. The relay depends on this contract and nothing else.
--
-- ${outbox_table} is a Flyway placeholder. The starter runs this file with its own Flyway
-- instance and its own history table (outbox_schema_history), so it never clashes with the
-- application's own V1__... migrations. Without Flyway, replace ${outbox_table} by the
-- table name (default public.outbox_event) and run this file once.

CREATE TABLE IF NOT EXISTS ${outbox_table} (
    id             uuid         PRIMARY KEY,
    aggregate_type varchar(255) NOT NULL,
    aggregate_id   varchar(255) NOT NULL,
    event_type     varchar(255) NOT NULL,
    payload        jsonb        NOT NULL,
    headers        jsonb,
    created_at     timestamptz  NOT NULL DEFAULT now()
);

-- Storage settings for INSERT+DELETE churn: every row is dead the moment its transaction
-- commits, so the table is all dead tuples between vacuums.
--
-- vacuum_truncate = false: VACUUM must not cut the empty pages off the end of the table.
--   Truncation takes an ACCESS EXCLUSIVE lock, which queues behind and blocks writers (and
--   cancels queries on hot standbys when replayed), and it leaves a zero-page table whose
--   statistics make the planner believe a sequential scan is free. The starter deletes by
--   ctid so its plans do not depend on this, but other writers of the contract may delete
--   by id.
-- autovacuum_vacuum_scale_factor = 0 and autovacuum_vacuum_threshold = 5000: vacuum after
--   a fixed number of dead rows, not after a fraction of a table whose live size is always
--   zero, so dead tuples and the primary-key index never pile up far.
-- autovacuum_vacuum_cost_delay = 0: a vacuum of this small table runs unthrottled and ends
--   quickly instead of sleeping while new dead rows arrive.
-- autovacuum_analyze_scale_factor = 0 and autovacuum_analyze_threshold = 100000: analyzing a
--   table that is always empty teaches the planner nothing; keep it rare.
-- toast.*: payloads above ~2 kB live in the TOAST table, which churns the same way.
ALTER TABLE ${outbox_table} SET (
    vacuum_truncate = false,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0,
    autovacuum_analyze_scale_factor = 0,
    autovacuum_analyze_threshold = 100000,
    toast.vacuum_truncate = false,
    toast.autovacuum_vacuum_scale_factor = 0,
    toast.autovacuum_vacuum_threshold = 5000,
    toast.autovacuum_vacuum_cost_delay = 0
);
