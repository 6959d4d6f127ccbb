#!/usr/bin/env bash
# The project's test command: real PostgreSQL (wal_level=logical) and a real Kafka broker.
#   ./scripts/test.sh [extra Maven arguments]
# When OUTBOX_TEST_PG_URL is unset, a throwaway PostgreSQL cluster is started by pg-local.sh
# (OUTBOX_PG_VERSION=17 picks a major version from Maven Central) and removed afterwards. Kafka brokers are started by the
# tests themselves, as child JVMs, from the org.apache.kafka jars on Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${OUTBOX_TEST_PG_URL:-}" ]; then
  export OUTBOX_PG_DIR="${OUTBOX_PG_DIR:-/tmp/outbox-pg-test-$$}"
  eval "$(scripts/pg-local.sh start)"
  trap 'scripts/pg-local.sh stop' EXIT
fi
echo "test: PostgreSQL at $OUTBOX_TEST_PG_URL, binaries ${OUTBOX_PG_BIN:-(system)}" >&2

./mvnw -B -ntp verify "$@"
