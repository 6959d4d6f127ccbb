#!/usr/bin/env bash
# The pipeline lab: one cell (a workload through a pipeline of six slots under one fault) on the
# failure suite's rig, the outcome traced by the verifier to the slot and component responsible.
#
#   scripts/lab.sh --fault relay-kill-9 [--quick]
#   scripts/lab.sh --capture dual-write --fault service-kill-9 --quick
#   scripts/lab.sh --workload microservice-events --capture log --write-mode message --key aggregate_id \
#                  --checkpoint as-shipped --sink idempotent --slot-guard on --fault postgres-restart-immediate
#   scripts/lab.sh --matrix        # the canonical set, every cell at the CI size, and matrix.png
#
# Options (--name value or --name=value): --workload, --capture, --write-mode, --key, --checkpoint,
# --sink, --slot-guard, --fault (required); omitted slots take our pipeline's defaults, an omitted
# workload is microservice-events. --quick runs the CI size (default: the full size); --results DIR
# (default target/lab) is where latest.md and latest.json go. A cell that cannot run yet is refused
# (exit 2) naming what it needs and what runs today; see docs/lab.md. Exit 1 when a cell did not
# come out as its design predicts: ours broke, another design broke where it does not differ from ours.
# scripts/failure-suite.sh is the preset "our pipeline x every fault".
#
# It builds the relay and the suite (./mvnw, no tests), then runs the cell in a JVM of its own, which
# starts its own PostgreSQL cluster, Kafka broker and TCP proxies and removes them at the end.
# Process logs: outbox-failure-suite/target/lab/work/logs.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
for arg in "$@"; do
  case "$arg" in
    --help|-h) sed -n '2,21p' "$0"; exit 0 ;;
  esac
done

eval "$("$ROOT/scripts/pg-local.sh" bin)"   # exports OUTBOX_PG_BIN, installing postgresql when missing

revision="$("$ROOT/scripts/revision.sh")"

cd "$ROOT"
echo "lab: building the relay and the suite" >&2
./mvnw -B -ntp -q -pl outbox-failure-suite -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/lab.classpath -Dmdep.includeScope=runtime
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The failure suite's own log levels (Kafka's clients at WARN), so the table is not lost in their chatter.
exec "$JAVA" -cp "outbox-failure-suite/target/classes:$(cat outbox-failure-suite/target/lab.classpath)" \
  -Dlogback.configurationFile=outbox-failure-suite/src/test/resources/logback-test.xml \
  -Doutbox.lab.revision="$revision" dev.outbox.failuresuite.Lab "$@"
