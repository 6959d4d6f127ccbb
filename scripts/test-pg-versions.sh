#!/usr/bin/env bash
# The tests tagged pg-versions (where PostgreSQL versions differ: the relay's streaming, slot health,
# slot loss, restart, snapshot and failover tests, and the failure suite narrowed to its failover
# scenario) on one PostgreSQL version:
#   OUTBOX_PG_VERSION=17 ./scripts/test-pg-versions.sh [extra Maven arguments]
# OUTBOX_PG_VERSION is 15 to 18 (from Maven Central's binaries, see pg-local.sh); unset, the
# system's PostgreSQL (Debian 12: 15). It is the test command (scripts/test.sh), narrowed to them:
# a throwaway cluster is started and removed afterwards, unless OUTBOX_TEST_PG_URL already points
# at a server (then OUTBOX_PG_BIN should name its binaries, for the tests that start clusters of
# their own).
set -euo pipefail
exec "$(dirname "$0")/test.sh" -pl outbox-relay,outbox-failure-suite -am -Dgroups=pg-versions \
  -Doutbox.failure-suite.scenarios=postgres-failover "$@"
