#!/usr/bin/env bash
# What sharding one database's outbox over N slots costs and buys: N publications, each with the
# relay's own shard filter ((hashtext(aggregate_id) & 2147483647) % N = i, publish = 'insert'),
# N pgoutput slots created before one shared backlog, then the backlog drained for each N. Per N it
# prints the drain time and rate, the walsenders' CPU in all, and per 100,000 events. Docs:
# docs/scaling.md.
#
#   scripts/shard-decode.sh [events] [shard counts]           # default: 200000 "1 2 4"
#   scripts/shard-decode.sh --relay [events] [shard counts]   # the real relay drains the shards
#
# Decode mode: N pg_recvlogical decode their shard in parallel to the backlog's end. Relay mode: one
# relay process (outbox-relay/target/outbox-relay.jar, build it first: ./mvnw -pl outbox-relay
# -am -DskipTests package) streams the source with outbox.relay.sources[0].shards=N into a Kafka
# broker of the script's own (scripts/kafka-local.sh), and the relay's CPU from its first confirmed
# position to the last (every shard at the backlog's end; positions and CPU sampled every 0.1 s)
# is reported per 100,000 events too; the drain rate is over that same window, and the walsenders'
# CPU is read from their own /proc entries at its end (their whole life, connection included).
#
# It starts a throwaway PostgreSQL of its own (scripts/pg-local.sh, in $OUTBOX_SHARD_PG_DIR, default
# /tmp/outbox-shard-decode, on a free port) and removes it at the end, and in relay mode a broker
# ($OUTBOX_SHARD_KAFKA_DIR, default /tmp/outbox-shard-kafka). With 1 shard the publication has no
# row filter: the unsharded relay's. Not run in CI: it is a measurement.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in --help|-h) sed -n '2,21p' "$0"; exit 0 ;; esac
RELAY=false
if [ "${1:-}" = --relay ]; then RELAY=true; shift; fi
EVENTS="${1:-200000}"
COUNTS="${2:-1 2 4}"
export OUTBOX_PG_DIR="${OUTBOX_SHARD_PG_DIR:-/tmp/outbox-shard-decode}"
eval "$("$ROOT/scripts/pg-local.sh" start)"
export OUTBOX_KAFKA_DIR="${OUTBOX_SHARD_KAFKA_DIR:-/tmp/outbox-shard-kafka}"
relay_pid=""
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null
  [ "$RELAY" = true ] && { "$ROOT/scripts/kafka-local.sh" stop >/dev/null 2>&1 || true; }
  "$ROOT/scripts/pg-local.sh" stop >/dev/null 2>&1 || true
  rm -rf "$OUTBOX_PG_DIR.out"
}
trap cleanup EXIT
port="${OUTBOX_TEST_PG_URL#*127.0.0.1:}"; port="${port%%/*}"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql() { "$OUTBOX_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
# CPU ticks of the backends the postmaster has reaped (cutime + cstime): ended walsenders included.
reaped() { awk '{print $16 + $17}' "/proc/$(head -n 1 "$OUTBOX_PG_DIR/data/postmaster.pid")/stat"; }
mkdir -p "$OUTBOX_PG_DIR.out"; chmod 777 "$OUTBOX_PG_DIR.out"

sed "s/\${outbox_table}/public.outbox_event/g" "$ROOT/db/migration/V1__outbox_event.sql" | psql >/dev/null
# The relay's names: slot shard_<n> and publication shard_<n>_pub unsharded, shard_<n>_<i> and
# shard_<n>_pub_<i> for shard i of n (outbox.relay.sources[0].slot-name=shard_<n>, shards=n).
slot_of() { if [ "$1" = 1 ]; then echo "shard_1"; else echo "shard_$1_$2"; fi; }
publication_of() { if [ "$1" = 1 ]; then echo "shard_1_pub"; else echo "shard_$1_pub_$2"; fi; }
for n in $COUNTS; do
  for ((i = 0; i < n; i++)); do
    filter=""; [ "$n" -gt 1 ] && filter="WHERE ((hashtext(aggregate_id) & 2147483647) % $n = $i)"
    psql -c "CREATE PUBLICATION $(publication_of "$n" "$i") FOR TABLE public.outbox_event $filter WITH (publish = 'insert')"
    psql -c "SELECT pg_create_logical_replication_slot('$(slot_of "$n" "$i")', 'pgoutput')" >/dev/null
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
if [ "$RELAY" = true ]; then
  relay_jar="$ROOT/outbox-relay/target/outbox-relay.jar"
  [ -f "$relay_jar" ] || { echo "shard-decode: no $relay_jar; build it: ./mvnw -pl outbox-relay -am -DskipTests package" >&2; exit 1; }
  eval "$(OUTBOX_KAFKA_HEAP=1g OUTBOX_KAFKA_JVM_OPTS="-Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20" \
    "$ROOT/scripts/kafka-local.sh" start)"
fi
# CPU ticks (utime + stime) of one process.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Relay mode: seconds since the epoch and relay ticks at the first confirmed position past the
# start and when every shard's slot is at the backlog's end.
relay_drain() {
  local n="$1" slots="" first_t="" first_c="" i
  for ((i = 0; i < n; i++)); do slots="$slots,'$(slot_of "$n" "$i")'"; done
  slots="${slots#,}"
  local progress="sum(confirmed_flush_lsn - '0/0'::pg_lsn)"   # bytes confirmed over all the shards' slots
  local before; before="$(psql -At -c "SELECT $progress FROM pg_replication_slots WHERE slot_name IN ($slots)")"
  java -Xmx512m -jar "$relay_jar" --spring.kafka.bootstrap-servers="$OUTBOX_KAFKA_BOOTSTRAP" \
    --spring.datasource.username=postgres --outbox.relay.sources[0].name=orders \
    --outbox.relay.sources[0].url="jdbc:postgresql://127.0.0.1:$port/postgres" \
    --outbox.relay.sources[0].slot-name="shard_$n" --outbox.relay.sources[0].publication-name="shard_${n}_pub" \
    --outbox.relay.sources[0].shards="$n" --outbox.relay.create-slot=false --outbox.relay.status-interval=100ms \
    --outbox.relay.topic-template="shard$n.{aggregateType}" --outbox.relay.topics.create=true \
    --server.port=0 --logging.level.org.apache.kafka=WARN > "$OUTBOX_PG_DIR.out/relay-$n.log" 2>&1 &
  relay_pid="$!"
  while :; do
    kill -0 "$relay_pid" 2>/dev/null || { echo "shard-decode: the relay exited; see $OUTBOX_PG_DIR.out/relay-$n.log" >&2; tail -n 30 "$OUTBOX_PG_DIR.out/relay-$n.log" >&2; exit 1; }
    local now c state
    now="$(date +%s.%N)"; c="$(ticks "$relay_pid")"
    state="$(psql -At -F ' ' -c "SELECT $progress > $before, bool_and(confirmed_flush_lsn >= '$end_lsn') FROM pg_replication_slots WHERE slot_name IN ($slots)")"
    if [ -z "$first_t" ] && [ "${state%% *}" = t ]; then first_t="$now"; first_c="$c"; fi
    if [ "${state##* }" = t ]; then
      # The walsenders' own ticks, read while they live (the polling backends are reaped, not counted).
      local walsenders=0 pid
      for pid in $(psql -At -c "SELECT active_pid FROM pg_replication_slots WHERE slot_name IN ($slots) AND active"); do
        walsenders=$(( walsenders + $(ticks "$pid") ))
      done
      echo "$first_t $now $first_c $c $walsenders"
      break
    fi
    sleep 0.1
  done
  kill "$relay_pid"; wait "$relay_pid" 2>/dev/null || true; relay_pid=""
}
if [ "$RELAY" = true ]; then
  echo "shards  drain s  events/s  walsender CPU-s  per 100k events  relay CPU-s  per 100k events"
else
  echo "shards  drain s  events/s  walsender CPU-s  per 100k events"
fi
for n in $COUNTS; do
  pids=()
  reaped_before="$(reaped)"
  start="$(date +%s.%N)"
  relay_cpu=0
  if [ "$RELAY" = true ]; then
    read -r start stop first_c last_c walsender_ticks < <(relay_drain "$n") || true
    [ -n "${walsender_ticks:-}" ] || exit 1
    relay_cpu=$(( last_c - first_c ))
  else
    for ((i = 0; i < n; i++)); do
      as_pg "$OUTBOX_PG_BIN/pg_recvlogical" -h 127.0.0.1 -p "$port" -U postgres -d postgres -S "$(slot_of "$n" "$i")" \
        --start -E "$end_lsn" -o proto_version=1 -o "publication_names=$(publication_of "$n" "$i")" -f /dev/null &
      pids+=("$!")
    done
    wait "${pids[@]}"
    stop="$(date +%s.%N)"
  fi
  # The walsenders have ended and the postmaster has reaped them: their CPU is in its children's
  # ticks (with that of any other backend that ended meanwhile, such as an autovacuum worker).
  until [ "$(psql -At -c "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name LIKE 'shard\_${n}%'")" = 0 ] \
    && [ -z "$(ps -o pid= --ppid "$(head -n 1 "$OUTBOX_PG_DIR/data/postmaster.pid")" -o args= | grep walsender)" ]; do
    sleep 0.1
  done
  cpu=$(( $(reaped) - reaped_before ))
  [ "$RELAY" = true ] && cpu="$walsender_ticks"
  awk -v n="$n" -v s="$start" -v e="$stop" -v c="$cpu" -v ev="$EVENTS" -v r="$relay_cpu" -v relay="$RELAY" 'BEGIN {
    d = e - s; w = c / 100; printf "%6d  %7.2f  %8.0f  %15.2f  %15.2f", n, d, ev / d, w, w * 100000 / ev
    if (relay == "true") printf "  %11.2f  %15.2f", r / 100, r / 100 * 100000 / ev
    printf "\n" }'
done
