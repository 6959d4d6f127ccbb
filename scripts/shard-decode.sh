#!/usr/bin/env bash
# What sharding one database's outbox over N slots costs and buys on the decode side: N publications,
# each with a row filter on a hash of aggregate_id (abs(hashtext(aggregate_id)) % N = i, publish =
# 'insert'), N pgoutput slots created before one shared backlog, then N pg_recvlogical decoding their
# shard in parallel to the backlog's end. Per N it prints the drain time, the walsenders' CPU in all,
# and per 100,000 events. Docs: docs/scaling.md.
#
#   scripts/shard-decode.sh [events] [shard counts]      # default: 200000 "1 2 4"
#
# It starts a throwaway PostgreSQL of its own (scripts/pg-local.sh, in $OUTBOX_SHARD_PG_DIR, default
# /tmp/outbox-shard-decode, on a free port) and removes it at the end. With 1 shard the publication
# has no row filter, as today's relay needs. Decode only: the relay's own cost per event does not
# depend on N (each relay reads only its shard's rows; PostgreSQL 15+ sends no empty transactions);
# the benchmark measures it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in --help|-h) sed -n '2,14p' "$0"; exit 0 ;; esac
EVENTS="${1:-200000}"
COUNTS="${2:-1 2 4}"
export OUTBOX_PG_DIR="${OUTBOX_SHARD_PG_DIR:-/tmp/outbox-shard-decode}"
eval "$("$ROOT/scripts/pg-local.sh" start)"
trap '"$ROOT/scripts/pg-local.sh" stop >/dev/null 2>&1 || true; rm -rf "$OUTBOX_PG_DIR.out"' EXIT
port="${OUTBOX_TEST_PG_URL#*127.0.0.1:}"; port="${port%%/*}"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql() { "$OUTBOX_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
# CPU ticks of the backends the postmaster has reaped (cutime + cstime): ended walsenders included.
reaped() { awk '{print $16 + $17}' "/proc/$(head -n 1 "$OUTBOX_PG_DIR/data/postmaster.pid")/stat"; }
mkdir -p "$OUTBOX_PG_DIR.out"; chmod 777 "$OUTBOX_PG_DIR.out"

sed "s/\${outbox_table}/public.outbox_event/g" "$ROOT/db/migration/V1__outbox_event.sql" | psql >/dev/null
for n in $COUNTS; do
  for ((i = 0; i < n; i++)); do
    filter=""; [ "$n" -gt 1 ] && filter="WHERE (abs(hashtext(aggregate_id)) % $n = $i)"   # 1 shard: today's publication
    psql -c "CREATE PUBLICATION shard_${n}_$i FOR TABLE public.outbox_event $filter WITH (publish = 'insert')"
    psql -c "SELECT pg_create_logical_replication_slot('shard_${n}_$i', 'pgoutput')" >/dev/null
  done
done
echo "shard-decode: writing $EVENTS events (INSERT+DELETE, 1 per transaction, 400-byte payloads, 1,000 aggregates)" >&2
cat > "$OUTBOX_PG_DIR.out/tx.sql" <<'SQL'
\set a random(1, 1000)
BEGIN;
INSERT INTO public.outbox_event (id, aggregate_type, aggregate_id, event_type, payload)
  VALUES (gen_random_uuid(), 'order', 'order-' || :a, 'OrderPlaced', jsonb_build_object('pad', repeat('x', 380)));
DELETE FROM public.outbox_event WHERE aggregate_id = 'order-' || :a;
COMMIT;
SQL
"$OUTBOX_PG_BIN/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -c 4 -j 2 -t $((EVENTS / 4)) -f "$OUTBOX_PG_DIR.out/tx.sql" postgres >/dev/null
end_lsn="$(psql -At -c "SELECT pg_current_wal_lsn()")"
echo "shards  drain s  events/s  walsender CPU-s  per 100k events"
for n in $COUNTS; do
  pids=()
  reaped_before="$(reaped)"
  start="$(date +%s.%N)"
  for ((i = 0; i < n; i++)); do
    as_pg "$OUTBOX_PG_BIN/pg_recvlogical" -h 127.0.0.1 -p "$port" -U postgres -d postgres -S "shard_${n}_$i" \
      --start -E "$end_lsn" -o proto_version=1 -o "publication_names=shard_${n}_$i" -f /dev/null &
    pids+=("$!")
  done
  wait "${pids[@]}"
  stop="$(date +%s.%N)"
  # The walsenders have ended and the postmaster has reaped them: their CPU is in its children's
  # ticks (with that of any other backend that ended meanwhile, such as an autovacuum worker).
  until [ "$(psql -At -c "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name LIKE 'shard\_${n}\_%'")" = 0 ] \
    && [ -z "$(ps -o pid= --ppid "$(head -n 1 "$OUTBOX_PG_DIR/data/postmaster.pid")" -o args= | grep walsender)" ]; do
    sleep 0.1
  done
  cpu=$(( $(reaped) - reaped_before ))
  awk -v n="$n" -v s="$start" -v e="$stop" -v c="$cpu" -v ev="$EVENTS" 'BEGIN {
    d = e - s; w = c / 100; printf "%6d  %7.2f  %8.0f  %15.2f  %15.2f\n", n, d, ev / d, w, w * 100000 / ev }'
done
