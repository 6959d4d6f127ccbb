#!/usr/bin/env bash
# The benchmark in one command: the relay's backlog drain and latency against this
# machine's own ceilings (PostgreSQL's decode rate, Kafka's produce rate), the starter's
# write-path cost, and the relay's heap, RSS and CPU.
#
#   scripts/bench.sh            # full run with both Debezium peers and the busy machine, about 15 minutes on 2 cores
#                               # (14 min 37 s measured; --busy=false saves about 1.5 of them)
#   scripts/bench.sh --quick    # about 3 minutes plus the build (60,000-event backlogs, short runs: a smoke run)
#   scripts/bench.sh --jfr      # also record the relay with Java Flight Recorder (profile settings)
#   scripts/bench.sh --skip-build [--quick] [harness options, e.g. --phases=a,c --events=200000]
#   scripts/bench.sh --quick --peers=debezium-tuned   # peers: debezium, debezium-tuned or none
#   scripts/bench.sh --peer-rates=2000,10000          # peers at both live rates (default 2,000/s: about 1.5 min more)
#
# A full run measures Debezium beside the relay (--peers=debezium,debezium-tuned by default; a
# quick run none): Kafka Connect standalone and Debezium's PostgreSQL connector, pinned in
# outbox-bench/debezium/pom.xml, whose jars are fetched from Maven Central into $OUTBOX_BENCH_DIR/lib
# and run as a JVM of their own (docs/benchmarks.md has the connector's configuration).
#
# It builds outbox-bench and the relay (./mvnw), starts its own PostgreSQL (scripts/pg-local.sh)
# and Kafka broker (scripts/kafka-local.sh, on a free port from 29092), runs the harness
# (dev.outbox.bench.BenchMain), prints the table and writes bench/results/{full,quick}.txt, .json
# and .png (latency against offered rate; relay heap and RSS over time), then stops and removes
# both servers. Logs (and flight recordings) stay in $OUTBOX_BENCH_DIR/work, with the GC logs of
# the relay, the peers, the broker and the harness (gc-*.log); after each live rate the run's output
# names its slowest seconds with the GC pauses and the waits for a CPU that could have held them.
#
# Environment:
#   OUTBOX_BENCH_DIR         state, logs and copies of the jars (default /tmp/outbox-bench)
#   OUTBOX_BENCH_RELAY_JAR   relay jar to measure instead of outbox-relay/target's (to compare two builds)
#   OUTBOX_BENCH_HARNESS_JVM_OPTS  extra options of the harness JVM (the drains' writers and consumers)
#   OUTBOX_BENCH_WRITE_PATH_JVM_OPTS  extra options of phase (e)'s JPA application, a JVM of its own, e.g.
#                            -XX:StartFlightRecording=settings=profile,filename=/tmp/write-path.jfr
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${OUTBOX_BENCH_DIR:-/tmp/outbox-bench}"
BUILD=true
HARNESS=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) BUILD=false ;;
    --help|-h) sed -n '2,32p' "$0"; exit 0 ;;
    *) HARNESS+=("$arg") ;;
  esac
done
# Whether a peer runs: --peers=... names one, or a full run without --peers (both by default).
PEERS=true
for arg in ${HARNESS[@]+"${HARNESS[@]}"}; do
  case "$arg" in
    --quick) PEERS=false ;;
  esac
done
for arg in ${HARNESS[@]+"${HARNESS[@]}"}; do
  case "$arg" in
    --peers=none|--peers=) PEERS=false ;;
    --peers=*) PEERS=true ;;
  esac
done

say() { echo "bench: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

export OUTBOX_PG_DIR="$DIR/pg"
export OUTBOX_KAFKA_DIR="$DIR/kafka"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  say "stopping the benchmark's Kafka broker and PostgreSQL"
  "$ROOT/scripts/kafka-local.sh" stop >/dev/null 2>&1 || true
  "$ROOT/scripts/pg-local.sh" stop >/dev/null 2>&1 || true
  rm -rf "$DIR/lib"
  [ "$rc" = 0 ] || say "failed (exit $rc); logs in $DIR/work/logs"
  exit "$rc"
}

if [ -d "$OUTBOX_PG_DIR" ] || [ -d "$OUTBOX_KAFKA_DIR" ]; then
  say "removing what an earlier run left in $DIR"
  "$ROOT/scripts/kafka-local.sh" stop >/dev/null 2>&1 || true
  "$ROOT/scripts/pg-local.sh" stop >/dev/null 2>&1 || true
fi
trap cleanup EXIT INT TERM

if [ "$BUILD" = true ]; then
  say "building outbox-bench and the relay (./mvnw -pl outbox-bench -am -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -B -ntp -pl outbox-bench -am -DskipTests package) || die "the build failed"
fi

# Private copies, so that a concurrent build in the working tree cannot change them mid-run.
rm -rf "$DIR/lib" "$DIR/work"
mkdir -p "$DIR/lib" "$DIR/work"
relay_jar="${OUTBOX_BENCH_RELAY_JAR:-$(ls -t "$ROOT"/outbox-relay/target/outbox-relay*.jar 2>/dev/null | head -n 1 || true)}"
[ -n "$relay_jar" ] && [ -f "$relay_jar" ] || die "no relay jar (${relay_jar:-none in outbox-relay/target}); run without --skip-build"
cp "$relay_jar" "$DIR/lib/outbox-relay.jar"
bench_jar="$(ls "$ROOT"/outbox-bench/target/outbox-bench-*.jar 2>/dev/null | head -n 1 || true)"
[ -n "$bench_jar" ] && [ -s "$ROOT/outbox-bench/target/bench.classpath" ] || die "outbox-bench is not built; run without --skip-build"
classpath="$DIR/lib/$(basename "$bench_jar")"
cp "$bench_jar" "$classpath"
IFS=':' read -r -a entries < "$ROOT/outbox-bench/target/bench.classpath" || true   # no final newline
for entry in "${entries[@]}"; do
  if [[ "$entry" == "$ROOT"/* ]]; then   # a reactor module's jar or classes: copy it
    copy="$DIR/lib/$(echo "${entry#"$ROOT"/}" | tr '/' '_')"
    cp -r "$entry" "$copy"
    entry="$copy"
  fi
  classpath="$classpath:$entry"
done

if [ "$PEERS" = true ]; then
  say "fetching Kafka Connect and Debezium (outbox-bench/debezium/pom.xml) into $DIR/lib/debezium"
  (cd "$ROOT" && ./mvnw -q -B -ntp -f outbox-bench/debezium/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$DIR/lib/debezium") || die "could not fetch Kafka Connect and Debezium from Maven Central"
fi

pg_env="$("$ROOT/scripts/pg-local.sh" start)" || die "PostgreSQL did not start (pg-local.sh's error above)"
eval "$pg_env"
kafka_port=29092
while ! port_free "$kafka_port"; do kafka_port=$((kafka_port + 1)); done
# The broker as Kafka's own kafka-server-start.sh runs it (1 GiB heap, G1 with 20 ms pause goal, full
# JIT), not the small, quick-starting JVM the tests and the demo use.
eval "$(OUTBOX_KAFKA_PORT="$kafka_port" OUTBOX_KAFKA_HEAP=1g \
  OUTBOX_KAFKA_JVM_OPTS="-Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Xlog:gc:file=$DIR/work/gc-broker.log:time" \
  "$ROOT/scripts/kafka-local.sh" start)"

revision="$("$ROOT/scripts/revision.sh")"

# shellcheck disable=SC2086 # word splitting of the extra options is intended
java -Xms1g -Xmx1g -Xlog:gc:file="$DIR/work/gc-harness.log":time -Djava.awt.headless=true ${OUTBOX_BENCH_HARNESS_JVM_OPTS:-} -cp "$classpath" dev.outbox.bench.BenchMain \
  --pg-url="$OUTBOX_TEST_PG_URL" --pg-bin="$OUTBOX_PG_BIN" \
  --postmaster-pid="$(head -n 1 "$OUTBOX_PG_DIR/data/postmaster.pid")" \
  --bootstrap="$OUTBOX_KAFKA_BOOTSTRAP" --broker-pid="$(cat "$OUTBOX_KAFKA_DIR/pid")" \
  --relay-jar="$DIR/lib/outbox-relay.jar" --migration="$ROOT/db/migration/V1__outbox_event.sql" \
  --results="$ROOT/bench/results" --work="$DIR/work" --revision="$revision" --debezium-lib="$DIR/lib/debezium" \
  ${HARNESS[@]+"${HARNESS[@]}"}
