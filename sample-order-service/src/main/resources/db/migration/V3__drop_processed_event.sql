-- The consumer's deduplication moves from processed_event to the starter's inbox
-- (dev.outbox.starter.inbox, table public.inbox_event), under the consumer name 'order-history'
-- (OrderEventListener.CONSUMER).
--
-- The ids already applied are carried over, so an event applied before the upgrade and delivered
-- again after it is still skipped. The starter migrates its tables after this service's own
-- migrations, so on an existing database the inbox table does not exist yet at this point: it is
-- created here with the starter's DDL (db/migration/V2__inbox_event.sql, default names), which the
-- starter's CREATE ... IF NOT EXISTS then adopts as is.
CREATE TABLE IF NOT EXISTS public.inbox_event (
    consumer     varchar(255) NOT NULL,
    event_id     varchar(255) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX IF NOT EXISTS inbox_event_processed_at ON public.inbox_event (processed_at);

INSERT INTO public.inbox_event (consumer, event_id, processed_at)
SELECT 'order-history', event_id::text, processed_at FROM processed_event
ON CONFLICT DO NOTHING;

ALTER TABLE order_status_history DROP CONSTRAINT order_status_history_event_id_fkey;

DROP TABLE processed_event;
