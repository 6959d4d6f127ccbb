-- The event's schema version (the event contract, issue 13): which registered schema of its
-- event type the payload follows, from 1 (see V2__outbox_event_schema.sql). Optional: null for
-- events of writers outside the schema registry (plain SQL), and a table created before this
-- migration keeps working, since the relay finds columns by name and reads this one only when it
-- exists. The relay passes it on as the Kafka header schemaVersion without reading any registry.
--
-- A nullable column without a default: PostgreSQL adds it to the catalog only, without rewriting
-- the table.
--
-- The event-contract migrations (this folder) run with their own Flyway history table,
-- <outbox.flyway.history-table>_contract (default outbox_schema_history_contract), after the
-- outbox and inbox migrations of db/migration/, and whether the inbox is on or off. (Up to the
-- registry's introduction this file was V3 of db/migration/; a history table that lists that
-- version 3 stays valid.)
--
-- ${outbox_table} is the Flyway placeholder of V1__outbox_event.sql; without Flyway, replace it
-- by the table name and run this file once after that one.

ALTER TABLE ${outbox_table} ADD COLUMN IF NOT EXISTS schema_version integer
    CONSTRAINT outbox_schema_version_from_1 CHECK (schema_version >= 1);
