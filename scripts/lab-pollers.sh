#!/usr/bin/env bash
# The pipeline lab's pollers measured fairly, with no fault: for capture polling-table and
# polling-outbox at each poll interval, latency from the writer's commit to the consumer (p50, p99,
# max) and database load (polls/s, rows read from the polled table per second).
#
#   scripts/lab-pollers.sh [seconds-per-run (20)] [changes-per-second (200)] [intervals-ms (10,100,500)]
#
# Builds the relay and the suite (no tests), then runs on the failure suite's rig (its own PostgreSQL
# and Kafka). Writes bench/results/lab-pollers.md; see docs/lab.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in --help|-h) sed -n '2,9p' "$0"; exit 0 ;; esac
eval "$("$ROOT/scripts/pg-local.sh" bin)"
cd "$ROOT"
./mvnw -B -ntp -q -pl outbox-failure-suite -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/lab.classpath -Dmdep.includeScope=runtime
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -cp "outbox-failure-suite/target/classes:$(cat outbox-failure-suite/target/lab.classpath)" \
  -Dlogback.configurationFile=outbox-failure-suite/src/test/resources/logback-test.xml \
  dev.outbox.failuresuite.readmodel.PollerBench "$@"
