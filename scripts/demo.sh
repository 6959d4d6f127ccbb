#!/usr/bin/env bash
# The whole pipeline in one command, without Docker:
#   business write -> WAL -> relay -> Kafka -> the sample's idempotent consumer.
#
#   scripts/demo.sh                  # start everything, show the events, stop everything; exit 0 on success
#   scripts/demo.sh --keep-running   # same, then leave it all running for curl (prints URLs and how to stop)
#   scripts/demo.sh stop             # stop what --keep-running left running
#
# It starts a throwaway PostgreSQL (scripts/pg-local.sh, wal_level=logical; installs Debian's
# postgresql package when missing), a single-node KRaft Kafka broker (scripts/kafka-local.sh, from
# Maven Central jars), builds the project (./mvnw), runs the sample order service and the relay,
# places orders over HTTP, and prints every event as it arrives in Kafka.
#
# Environment:
#   OUTBOX_DEMO_DIR          state and logs (default /tmp/outbox-demo)
#   OUTBOX_DEMO_SAMPLE_PORT  HTTP port of the sample order service (default 8080)
#   OUTBOX_DEMO_RELAY_PORT   HTTP port of the relay (default 8081)
#   OUTBOX_DEMO_SKIP_BUILD   set to 1 to use the jars already in */target
# Progress goes to stderr, the events and HTTP answers to stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${OUTBOX_DEMO_DIR:-/tmp/outbox-demo}"
SAMPLE_PORT="${OUTBOX_DEMO_SAMPLE_PORT:-8080}"
RELAY_PORT="${OUTBOX_DEMO_RELAY_PORT:-8081}"
TOPIC="outbox.event.order"
STEPS=9
STEP=0
KEEP_RUNNING=false
JVM_OPTS=(-Xmx512m -XX:TieredStopAtLevel=1)

say() { echo "demo: $*" >&2; }
step() { STEP=$((STEP + 1)); say "[$STEP/$STEPS] $*"; }
fail() {
  say "FAILED at step $STEP: $*"
  exit 1
}

# --- processes this script started -------------------------------------------------------------

# Stops one of our Java processes by its pid file, checking that the pid still runs our jar.
stop_java() {
  local name="$1" pidfile="$DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$(cat "$DIR/$name.jar" 2>/dev/null || echo '?')"; then
    kill "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$waited" -ge 30 ]; then say "$name did not stop within 30s; killing it"; kill -9 "$pid" 2>/dev/null || true; break; fi
      sleep 1; waited=$((waited + 1))
    done
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

stop_all() {
  if [ -f "$DIR/tail.pid" ]; then kill "$(cat "$DIR/tail.pid")" 2>/dev/null || true; rm -f "$DIR/tail.pid"; fi
  stop_java relay
  stop_java sample
  if [ -d "$DIR/kafka" ]; then OUTBOX_KAFKA_DIR="$DIR/kafka" "$ROOT/scripts/kafka-local.sh" stop || true; fi
  if [ -d "$DIR/pg" ]; then OUTBOX_PG_DIR="$DIR/pg" "$ROOT/scripts/pg-local.sh" stop || true; fi
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$KEEP_RUNNING" = true ] && [ "$rc" = 0 ]; then return; fi
  say "cleaning up everything the demo started"
  stop_all
  if [ "$rc" = 0 ]; then
    rm -rf "$DIR"
  else
    rm -f "$DIR"/*.jar "$DIR/response.json"
    if [ "$rc" = 130 ]; then say "interrupted; logs kept in $DIR"; else say "the demo failed (exit $rc); logs kept in $DIR"; fi
  fi
  exit "$rc"
}

# --- checks ------------------------------------------------------------------------------------

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_port() {
  local port="$1" what="$2" variable="$3"
  port_free "$port" || fail "port $port ($what) is taken. Stop what listens there (ss -ltnp 'sport = :$port'), or choose another port: $variable=<port> $0"
}

apt_install() {
  local package="$1" why="$2"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "$why missing; installing Debian's $package with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq "$package" >&2 || fail "apt-get install $package failed"
  else
    fail "$why missing: install it (sudo apt-get install $package) and run again"
  fi
}

check_tools() {
  command -v curl >/dev/null 2>&1 || apt_install curl "curl"
  command -v java >/dev/null 2>&1 || apt_install default-jdk-headless "Java (17 or later)"
  local version
  version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || fail "Java $version found, 17 or later needed (sudo apt-get install default-jdk-headless)"
}

# --- HTTP --------------------------------------------------------------------------------------

# http METHOD PATH [JSON]: the body goes to $DIR/response.json, the status code to stdout.
http() {
  local method="$1" path="$2" body="${3:-}"
  local args=(-s -o "$DIR/response.json" -w '%{http_code}' -X "$method" "http://127.0.0.1:$SAMPLE_PORT$path")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' -d "$body"); fi
  curl "${args[@]}" || echo "000"
}

# call EXPECTED_STATUS METHOD PATH [JSON]: prints the exchange, fails on another status.
call() {
  local expected="$1" method="$2" path="$3" body="${4:-}" status
  status="$(http "$method" "$path" "$body")"
  echo "$method $path ${body:+$body }-> $status $(cat "$DIR/response.json")"
  [ "$status" = "$expected" ] || fail "$method $path answered $status, expected $expected (log: $DIR/sample.log)"
}

json_id() { grep -o '"id":"[^"]*"' "$DIR/response.json" | head -n 1 | cut -d'"' -f4; }

# wait_http URL SECONDS NAME: until URL answers 200, while NAME's process lives.
wait_http() {
  local url="$1" timeout="$2" name="$3" waited=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; do
    if ! kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
      tail -n 40 "$DIR/$name.log" >&2
      fail "the $name exited while starting (log above: $DIR/$name.log)"
    fi
    if [ "$waited" -ge "$timeout" ]; then
      tail -n 40 "$DIR/$name.log" >&2
      fail "$url did not answer 200 within ${timeout}s (log above: $DIR/$name.log)"
    fi
    sleep 1; waited=$((waited + 1))
  done
}

start_java() {
  local name="$1" jar="$2"; shift 2
  echo "$jar" > "$DIR/$name.jar"
  # Its own session where setsid exists (Linux): a Ctrl-C in the terminal reaches this script
  # (which stops it), and --keep-running leaves it running after the script ends. Elsewhere
  # (macOS) a background job of this non-interactive shell ignores SIGINT, which the JVM keeps.
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  (cd "$DIR" && exec ${detach[@]+"${detach[@]}"} java "${JVM_OPTS[@]}" -jar "$jar" "$@" > "$DIR/$name.log" 2>&1 < /dev/null) &
  echo $! > "$DIR/$name.pid"
}

# The newest executable jar of a module: a jar an earlier build left under another name (the
# relay's was outbox-relay-<version>.jar before it became outbox-relay.jar) must not win.
find_jar() {
  local module="$1" jar found=""
  for jar in "$ROOT/$module"/target/"$module"*.jar; do
    case "$jar" in *-plain.jar | *-sources.jar | *-javadoc.jar | *-tests.jar) continue ;; esac
    if [ -f "$jar" ] && { [ -z "$found" ] || [ "$jar" -nt "$found" ]; }; then found="$jar"; fi
  done
  [ -n "$found" ] || fail "no executable jar in $module/target; build it: ./mvnw -DskipTests package"
  echo "$found"
}

# --- the demo ----------------------------------------------------------------------------------

run() {
  if [ -f "$DIR/sample.pid" ] || [ -f "$DIR/relay.pid" ]; then
    fail "a demo already runs from $DIR; stop it first: $0 stop"
  fi
  step "checking Java, curl and ports $SAMPLE_PORT (sample) and $RELAY_PORT (relay)"
  check_tools
  require_port "$SAMPLE_PORT" "sample order service" OUTBOX_DEMO_SAMPLE_PORT
  require_port "$RELAY_PORT" "relay" OUTBOX_DEMO_RELAY_PORT
  [ "$SAMPLE_PORT" != "$RELAY_PORT" ] || fail "OUTBOX_DEMO_SAMPLE_PORT and OUTBOX_DEMO_RELAY_PORT are both $SAMPLE_PORT"
  rm -rf "$DIR"; mkdir -p "$DIR"
  trap on_exit EXIT
  trap 'exit 130' INT TERM

  if [ "${OUTBOX_DEMO_SKIP_BUILD:-}" = 1 ]; then
    step "using the jars already built (OUTBOX_DEMO_SKIP_BUILD=1)"
  else
    step "building the project (./mvnw package; the first run downloads Maven and the dependencies)"
    (cd "$ROOT" && ./mvnw -q -B -ntp -Dmaven.test.skip=true package > "$DIR/build.log" 2>&1) \
      || { tail -n 40 "$DIR/build.log" >&2; fail "the build failed (log above: $DIR/build.log)"; }
  fi
  local sample_jar relay_jar
  sample_jar="$(find_jar sample-order-service)"
  relay_jar="$(find_jar outbox-relay)"

  step "starting PostgreSQL (wal_level=logical)"
  local pg_env
  pg_env="$(OUTBOX_PG_DIR="$DIR/pg" "$ROOT/scripts/pg-local.sh" start)" || fail "PostgreSQL did not start (scripts/pg-local.sh, output above)"
  eval "$pg_env"
  local pg_port
  pg_port="$(cat "$DIR/pg/port")"
  "$OUTBOX_PG_BIN/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -c 'CREATE DATABASE orders' \
    || fail "could not create database 'orders' on 127.0.0.1:$pg_port"
  local jdbc_url="jdbc:postgresql://127.0.0.1:$pg_port/orders"

  step "starting Kafka (KRaft, single node)"
  local kafka_env
  kafka_env="$(OUTBOX_KAFKA_DIR="$DIR/kafka" "$ROOT/scripts/kafka-local.sh" start)" || fail "Kafka did not start (scripts/kafka-local.sh, output above)"
  eval "$kafka_env"
  local kafka="$OUTBOX_KAFKA_BOOTSTRAP"

  # The sample first: its migrations create the outbox table, on which the relay creates its
  # publication. The relay next: events are relayed from the moment its slot exists.
  step "starting the sample order service on port $SAMPLE_PORT (its migrations create the outbox table)"
  start_java sample "$sample_jar" --server.port="$SAMPLE_PORT" --spring.datasource.url="$jdbc_url" \
    --spring.datasource.username=postgres --spring.kafka.bootstrap-servers="$kafka"
  wait_http "http://127.0.0.1:$SAMPLE_PORT/actuator/health/readiness" 240 sample

  step "starting the relay on port $RELAY_PORT (creates its publication and replication slot)"
  start_java relay "$relay_jar" --server.port="$RELAY_PORT" --spring.datasource.url="$jdbc_url" \
    --spring.datasource.username=postgres --spring.kafka.bootstrap-servers="$kafka" \
    --management.endpoint.health.show-details=always
  wait_http "http://127.0.0.1:$RELAY_PORT/actuator/health/outboxRelay" 240 relay

  step "placing, paying, shipping and cancelling orders over HTTP"
  java -cp "$sample_jar" -Dloader.main=dev.outbox.sample.demo.EventTail \
    org.springframework.boot.loader.launch.PropertiesLauncher "$kafka" "$TOPIC" 7 120 > "$DIR/events.txt" 2> "$DIR/tail.log" &
  echo $! > "$DIR/tail.pid"
  local first second third
  call 201 POST /orders '{"customerId":"alice","currency":"EUR","lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}'
  first="$(json_id)"
  call 201 POST /orders '{"customerId":"bob","currency":"EUR","lines":[{"sku":"PEN-7","quantity":5,"unitPrice":2.50},{"sku":"INK-2","quantity":1,"unitPrice":7.90}]}'
  second="$(json_id)"
  call 201 POST /orders '{"customerId":"carol","currency":"EUR","lines":[{"sku":"LAMP-3","quantity":1,"unitPrice":49.00}]}'
  third="$(json_id)"
  call 200 POST "/orders/$first/pay" '{"paymentReference":"PAY-0001"}'
  call 200 POST "/orders/$first/ship" '{"trackingNumber":"TRACK-0001"}'
  call 200 POST "/orders/$second/pay" '{"paymentReference":"PAY-0002"}'
  call 200 POST "/orders/$third/cancel" '{"reason":"changed my mind"}'
  echo "# shipping the cancelled order is refused with a problem detail, and writes no event:"
  call 409 POST "/orders/$third/ship" '{"trackingNumber":"TRACK-0003"}'
  call 400 POST /orders '{"customerId":"","currency":"EUR","lines":[]}'

  step "events as they arrive in Kafka (topic $TOPIC), then the read model the sample's consumer built"
  local tail_pid
  tail_pid="$(cat "$DIR/tail.pid")"
  tail -n +1 -f --pid="$tail_pid" "$DIR/events.txt" &
  local follower=$!
  local tail_rc=0
  wait "$tail_pid" || tail_rc=$?
  wait "$follower" 2>/dev/null || true
  rm -f "$DIR/tail.pid"
  [ "$tail_rc" = 0 ] || fail "not all 7 events reached Kafka: $(cat "$DIR/tail.log") (relay log: $DIR/relay.log)"
  await_history "$first" 3
  await_history "$second" 2
  await_history "$third" 2
  for id in "$first" "$second" "$third"; do
    call 200 GET "/orders/$id/history"
  done

  step "the relay's health"
  curl -s "http://127.0.0.1:$RELAY_PORT/actuator/health/outboxRelay"; echo

  if [ "$KEEP_RUNNING" = true ]; then
    cat <<EOF

Everything keeps running:
  sample order service  http://127.0.0.1:$SAMPLE_PORT/orders   (log $DIR/sample.log)
  relay health          http://127.0.0.1:$RELAY_PORT/actuator/health   (log $DIR/relay.log)
  PostgreSQL            $jdbc_url?user=postgres
  Kafka                 $kafka   (topic $TOPIC)
Try:
  curl -s -XPOST localhost:$SAMPLE_PORT/orders -H 'Content-Type: application/json' \\
       -d '{"customerId":"dave","currency":"EUR","lines":[{"sku":"BOOK-1","quantity":1,"unitPrice":12.50}]}'
  curl -s localhost:$SAMPLE_PORT/orders/<id>/history
Watch the topic:
  java -cp $sample_jar -Dloader.main=dev.outbox.sample.demo.EventTail \\
       org.springframework.boot.loader.launch.PropertiesLauncher $kafka $TOPIC 1000 3600
Stop everything:
  ${OUTBOX_DEMO_DIR:+OUTBOX_DEMO_DIR=$DIR }$0 stop
EOF
  else
    say "done: 7 events went from PostgreSQL's WAL through the relay to Kafka and into the read model"
  fi
}

# await_history ORDER_ID COUNT: until the read model holds COUNT entries for the order.
await_history() {
  local id="$1" expected="$2" waited=0 count
  while true; do
    http GET "/orders/$id/history" > /dev/null
    count="$(grep -o '"eventId"' "$DIR/response.json" | wc -l)"
    [ "$count" -ge "$expected" ] && return
    [ "$waited" -lt 60 ] || fail "the read model of order $id has $count of $expected entries after 60s (log: $DIR/sample.log)"
    sleep 1; waited=$((waited + 1))
  done
}

case "${1:-}" in
  "") run ;;
  --keep-running) KEEP_RUNNING=true; run ;;
  stop) stop_all; rm -rf "$DIR"; say "stopped" ;;
  -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: $0 [--keep-running] | stop" >&2; exit 2 ;;
esac
