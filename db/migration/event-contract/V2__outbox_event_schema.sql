-- The embedded schema registry (the event contract, issue 13): every JSON Schema (draft 2020-12)
-- registered for an event type, one row per version, counting from 1.
--
-- The starter registers the current schema of each event type at startup, in one transaction,
-- before the application takes traffic (dev.outbox.starter.contract.EventSchemaRegistry):
--   * a schema equal (jsonb equality) to a registered version of its type is accepted and
--     changes nothing: that version is current again (a rollback to an earlier release);
--   * otherwise the schema is checked against the registered versions under the event type's
--     compatibility mode (outbox.contract.compatibility, default FORWARD, and
--     outbox.contract.compatibility-overrides.<eventType>): compatible, it is inserted as the
--     highest version plus one; breaking, startup fails and nothing is inserted for any type.
-- Instances starting at once serialize on a transaction-level advisory lock (pg_advisory_xact_lock
-- with the constant key 8031453476761527655, the bytes of "outbxreg", EventSchemaRegistry.LOCK_KEY),
-- so a version is registered once. Rows are only ever inserted: a version, once registered, names that schema
-- for good (it is the schema_version the outbox rows and Kafka records carry).
--
-- Teams that apply the DDL themselves (outbox.flyway.enabled=false) run this file once, after
-- V1__outbox_schema_version.sql, replacing ${event_schema_table} by the table of
-- outbox.contract.registry.table (default public.outbox_event_schema). The writing role needs
-- SELECT and INSERT on it, and the advisory lock needs no privilege. With
-- outbox.contract.registry.enabled=false the table is still created, and left alone.

CREATE TABLE IF NOT EXISTS ${event_schema_table} (
    event_type    varchar(255) NOT NULL,
    version       integer      NOT NULL CHECK (version >= 1),
    schema        jsonb        NOT NULL,
    registered_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_type, version)
);
