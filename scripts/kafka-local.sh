#!/usr/bin/env bash
# Starts and stops a real single-node Kafka broker (KRaft, combined broker and controller) from
# the org.apache.kafka jars on Maven Central. No Docker, no Kafka download: the class path is the
# one outbox-test-support's build resolves (the same broker and settings the tests use, see
# KafkaBroker.serverProperties).
#
#   eval "$(scripts/kafka-local.sh start)"   # prints: export OUTBOX_KAFKA_BOOTSTRAP=... OUTBOX_KAFKA_DIR=...
#   scripts/kafka-local.sh status
#   scripts/kafka-local.sh stop
#
# Environment:
#   OUTBOX_KAFKA_DIR        state directory (default /tmp/outbox-kafka); removed by "stop"
#   OUTBOX_KAFKA_PORT       client port (default 9092 when free, else the first free one up to 9192)
#   OUTBOX_KAFKA_CLASSPATH  broker class path (default: built from outbox-test-support)
#   OUTBOX_KAFKA_HEAP       broker heap (default 512m)
#   OUTBOX_KAFKA_JVM_OPTS   broker JVM options instead of the default, which starts fast and keeps
#                           the broker small for tests and the demo (-XX:+UseSerialGC
#                           -XX:TieredStopAtLevel=1); the benchmark passes Kafka's own production
#                           options (G1, full JIT) here
# Progress goes to stderr; stdout carries only the export lines.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${OUTBOX_KAFKA_DIR:-/tmp/outbox-kafka}"
CLASSPATH_FILE="$ROOT/outbox-test-support/target/classes/dev/outbox/testsupport/kafka-broker.classpath"
STARTUP_TIMEOUT=90
say() { echo "kafka-local: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

java_bin() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  command -v "$java" >/dev/null 2>&1 || die "no 'java' found (Kafka 4 needs Java 17+): apt-get install openjdk-17-jdk-headless"
  echo "$java"
}

# The broker's class path: Kafka's own dependencies only, as resolved by outbox-test-support.
broker_classpath() {
  if [ -n "${OUTBOX_KAFKA_CLASSPATH:-}" ]; then echo "$OUTBOX_KAFKA_CLASSPATH"; return; fi
  if ! classpath_complete; then
    say "resolving the Kafka broker jars from Maven Central (./mvnw -q -pl outbox-test-support generate-resources)"
    (cd "$ROOT" && ./mvnw -q -B -ntp -pl outbox-test-support generate-resources >&2) \
      || die "step 'resolve broker class path' failed: ./mvnw -pl outbox-test-support generate-resources (see the Maven output above)"
    classpath_complete || die "step 'resolve broker class path' produced no usable $CLASSPATH_FILE"
  fi
  cat "$CLASSPATH_FILE"
}

classpath_complete() {
  [ -s "$CLASSPATH_FILE" ] || return 1
  local jar
  while IFS= read -r -d ':' jar; do [ -f "$jar" ] || return 1; done < <(tr -d '\n' < "$CLASSPATH_FILE"; printf ':')
  return 0
}

pick_port() {
  local port
  if [ -n "${OUTBOX_KAFKA_PORT:-}" ]; then
    port_free "$OUTBOX_KAFKA_PORT" \
      || die "port $OUTBOX_KAFKA_PORT (OUTBOX_KAFKA_PORT) is taken; choose another (OUTBOX_KAFKA_PORT=19092) or stop what listens there (ss -ltnp 'sport = :$OUTBOX_KAFKA_PORT')"
    echo "$OUTBOX_KAFKA_PORT"; return
  fi
  for port in $(seq 9092 9192); do
    if port_free "$port"; then echo "$port"; return; fi
  done
  die "no free port in 9092-9192; set OUTBOX_KAFKA_PORT"
}

pick_controller_port() {
  local port
  for port in $(seq 19093 19193); do
    if port_free "$port" && [ "$port" != "$1" ]; then echo "$port"; return; fi
  done
  die "no free controller port in 19093-19193"
}

# Same settings as KafkaBroker.serverProperties (outbox-test-support).
write_config() {
  local port="$1" controller="$2"
  cat > "$DIR/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=9223372036854775807
CONF
}

pid_alive() {
  [ -f "$DIR/pid" ] || return 1
  local pid; pid="$(cat "$DIR/pid")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "kafka.Kafka $DIR/server.properties"
}

running() { pid_alive && [ -f "$DIR/port" ] && port_answers "$(cat "$DIR/port")"; }

print_env() {
  echo "export OUTBOX_KAFKA_BOOTSTRAP='127.0.0.1:$(cat "$DIR/port")'"
  echo "export OUTBOX_KAFKA_DIR='$DIR'"
}

start() {
  if running; then say "already running in $DIR on 127.0.0.1:$(cat "$DIR/port")"; print_env; return; fi
  if pid_alive; then die "a broker from $DIR (pid $(cat "$DIR/pid")) runs but does not answer; run: OUTBOX_KAFKA_DIR=$DIR $0 stop"; fi
  local java classpath port controller
  java="$(java_bin)"
  classpath="$(broker_classpath)"
  port="$(pick_port)"
  controller="$(pick_controller_port "$port")"
  rm -rf "$DIR"; mkdir -p "$DIR"
  echo "$port" > "$DIR/port"
  write_config "$port" "$controller"
  local tuning=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
  [ -z "${OUTBOX_KAFKA_JVM_OPTS:-}" ] || read -r -a tuning <<< "$OUTBOX_KAFKA_JVM_OPTS"
  local jvm=(-Xms128m "-Xmx${OUTBOX_KAFKA_HEAP:-512m}" "${tuning[@]}" -Djava.awt.headless=true
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info
    -Dorg.slf4j.simpleLogger.showDateTime=true "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS")
  local cluster_id; cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  say "formatting KRaft storage in $DIR/data (cluster id $cluster_id)"
  "$java" "${jvm[@]}" -cp "$classpath" kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$DIR/server.properties" \
      >> "$DIR/broker.log" 2>&1 \
    || { tail -n 30 "$DIR/broker.log" >&2; die "step 'format storage' failed (log above: $DIR/broker.log)"; }
  say "starting the Kafka broker on 127.0.0.1:$port (controller 127.0.0.1:$controller, KRaft)"
  # Its own session where setsid exists (Linux); elsewhere nohup and the background job's ignored
  # SIGINT keep a Ctrl-C in the terminal from reaching the broker.
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  ${detach[@]+"${detach[@]}"} nohup "$java" "${jvm[@]}" -cp "$classpath" kafka.Kafka "$DIR/server.properties" \
      >> "$DIR/broker.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pid"
  say "waiting until the broker answers on 127.0.0.1:$port (up to ${STARTUP_TIMEOUT}s)"
  write_probe
  local started=$SECONDS probe_rc=0
  "$java" -Xmx64m -cp "$classpath" "$DIR/KafkaReady.java" "127.0.0.1:$port" "$STARTUP_TIMEOUT" "$(cat "$DIR/pid")" \
      2>> "$DIR/probe.log" || probe_rc=$?
  case "$probe_rc" in
    0) ;;
    2) tail -n 30 "$DIR/broker.log" >&2
       die "step 'start broker' failed: the broker exited (log above: $DIR/broker.log); is port $port or $controller taken? (ss -ltnp)" ;;
    *) tail -n 30 "$DIR/broker.log" >&2; tail -n 3 "$DIR/probe.log" >&2
       die "step 'start broker' failed: 127.0.0.1:$port did not answer within ${STARTUP_TIMEOUT}s (log: $DIR/broker.log); stop it with: OUTBOX_KAFKA_DIR=$DIR $0 stop" ;;
  esac
  say "Kafka is up at 127.0.0.1:$port after $((SECONDS - started))s (pid $(cat "$DIR/pid"), log $DIR/broker.log)"
  print_env
}

# Readiness as KafkaBroker.awaitReady checks it: the cluster answers a metadata request with a node.
# Exit 0 when ready, 2 when the broker process is gone, 1 on timeout.
write_probe() {
  cat > "$DIR/KafkaReady.java" <<'JAVA'
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

public class KafkaReady {
	public static void main(String[] args) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
		long brokerPid = Long.parseLong(args[2]);
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false)) {
				System.exit(2);
			}
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", args[0], "request.timeout.ms", 2000,
					"default.api.timeout.ms", 3000))) {
				if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
					return;
				}
			}
			catch (Exception ex) {
				last = ex.toString();
			}
			Thread.sleep(500);
		}
		System.err.println("KafkaReady: " + last);
		System.exit(1);
	}
}
JAVA
}

stop() {
  if pid_alive; then
    local pid; pid="$(cat "$DIR/pid")"
    say "stopping the Kafka broker (pid $pid)"
    kill "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$waited" -ge 60 ]; then say "the broker did not stop within 60s; killing it"; kill -9 "$pid" 2>/dev/null || true; break; fi
      sleep 1; waited=$((waited + 1))
    done
  fi
  rm -rf "$DIR"
  say "stopped and removed $DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then say "running in $DIR on 127.0.0.1:$(cat "$DIR/port") (pid $(cat "$DIR/pid"))"; print_env; else say "not running"; exit 3; fi ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
