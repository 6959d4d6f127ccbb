#!/bin/sh
# docker-compose's PostgreSQL, first start only (docker-entrypoint-initdb.d, as the superuser):
# the outbox table from the contract (db/migration/V1__outbox_event.sql, idempotent, so the
# sample's starter migrations run on it unchanged), and the relay's least-privilege role of
# docs/operations.md ("The replication role's least privileges"): REPLICATION, SELECT on the
# outbox table, and the publication created here by the table's owner, so the relay runs with
# outbox.relay.create-publication=false. Checked by DockerComposeFileUnitTests.
set -eu
sed 's/${outbox_table}/public.outbox_event/g' /outbox-contract/V1__outbox_event.sql \
  | psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE outbox_relay LOGIN REPLICATION PASSWORD 'outbox_relay';
GRANT CONNECT ON DATABASE "$POSTGRES_DB" TO outbox_relay;
GRANT USAGE ON SCHEMA public TO outbox_relay;
GRANT SELECT ON public.outbox_event TO outbox_relay;
CREATE PUBLICATION outbox_pub FOR TABLE public.outbox_event WITH (publish = 'insert');
SQL
