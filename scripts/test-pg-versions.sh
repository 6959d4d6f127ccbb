#!/usr/bin/env bash
# The relay's integration tests tagged pg-versions (streaming, slot health, slot loss, restart,
# snapshot: where PostgreSQL versions differ) on one PostgreSQL version:
#   OUTBOX_PG_VERSION=17 ./scripts/test-pg-versions.sh [extra Maven arguments]
# OUTBOX_PG_VERSION is 15 to 18 (from Maven Central's binaries, see pg-local.sh); unset, the
# system's PostgreSQL (Debian 12: 15). A throwaway cluster is started and removed afterwards, unless
# OUTBOX_TEST_PG_URL already points at a server (then OUTBOX_PG_BIN should name its binaries, for
# the tests that start clusters of their own).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${OUTBOX_TEST_PG_URL:-}" ]; then
  export OUTBOX_PG_DIR="${OUTBOX_PG_DIR:-/tmp/outbox-pg-versions-$$}"
  eval "$(scripts/pg-local.sh start)"
  trap 'scripts/pg-local.sh stop' EXIT
fi
echo "test-pg-versions: PostgreSQL at $OUTBOX_TEST_PG_URL, binaries ${OUTBOX_PG_BIN:-(system)}" >&2

./mvnw -B -ntp -pl outbox-relay -am test -Dgroups=pg-versions -Dsurefire.failIfNoSpecifiedTests=false "$@"
