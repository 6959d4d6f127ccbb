-- The read model fed by the order events from Kafka (dev.outbox.sample.history.OrderHistory).
-- processed_event is the consumer's deduplication record: one row per applied event id, written
-- in the same transaction as the history row (which references it).
CREATE TABLE processed_event (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_status_history (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    uuid         NOT NULL,
    event_id    uuid         NOT NULL REFERENCES processed_event (event_id),
    event_type  varchar(255) NOT NULL,
    status      varchar(16)  NOT NULL,
    occurred_at timestamptz  NOT NULL,
    recorded_at timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX order_status_history_by_order ON order_status_history (order_id, seq);
