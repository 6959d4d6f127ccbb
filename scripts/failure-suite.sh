#!/usr/bin/env bash
# The failure suite in one command: a workload through the real pipeline (starter ->
# PostgreSQL -> relay jar -> Kafka -> inbox consumer), one fault at a time (relay kill -9 and
# graceful restart, broker kill, PostgreSQL fast and immediate restarts, relay<->Kafka and
# relay<->PostgreSQL links dropped and stalled, retained WAL past the critical threshold, standby
# takeover, a failover of PostgreSQL to its standby, service kill -9, and the dual-write
# baseline), each checked for loss, per-key order and effects applied twice. It is the pipeline
# lab's preset "our pipeline x every fault"; scripts/lab.sh runs one cell of the lab (docs/lab.md).
#
#   scripts/failure-suite.sh                   # full size, about 16 to 20 minutes on 2 cores
#   scripts/failure-suite.sh --quick           # the CI size (what ./mvnw verify runs), about 5 minutes
#   scripts/failure-suite.sh --only=relay-kill-9,standby-takeover [--quick]
#
# It builds the relay and the suite (./mvnw), runs FailureSuiteIntegrationTests, which starts its own
# PostgreSQL cluster (from the server binaries; Debian's postgresql package is installed when they are
# missing), its own Kafka broker and TCP proxies, and removes them at the end. It prints the table
# and writes failure-suite/results/latest.md and latest.json. Exit status non-zero when a scenario
# breaks an invariant. Process logs: outbox-failure-suite/target/failure-suite/work/logs.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZE=full
ONLY=""
for arg in "$@"; do
  case "$arg" in
    --quick) SIZE=quick ;;
    --only=*) ONLY="${arg#--only=}" ;;
    --help|-h) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "failure-suite: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

eval "$("$ROOT/scripts/pg-local.sh" bin)"   # exports OUTBOX_PG_BIN, installing postgresql when missing

revision="$("$ROOT/scripts/revision.sh")"

echo "failure-suite: $SIZE size${ONLY:+, only $ONLY}; report in failure-suite/results" >&2
cd "$ROOT"
./mvnw -B -ntp -pl outbox-failure-suite -am verify \
  -Dtest=FailureSuiteIntegrationTests -Dsurefire.failIfNoSpecifiedTests=false \
  -Doutbox.failure-suite.size="$SIZE" -Doutbox.failure-suite.results="$ROOT/failure-suite/results" \
  -Doutbox.failure-suite.revision="$revision" ${ONLY:+-Doutbox.failure-suite.scenarios="$ONLY"}
