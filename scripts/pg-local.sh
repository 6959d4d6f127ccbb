#!/usr/bin/env bash
# Starts and stops a throwaway local PostgreSQL cluster with wal_level=logical, from the
# system's PostgreSQL binaries, or from PostgreSQL binaries Maven Central ships (zonky's
# embedded-postgres-binaries, Linux and macOS, x86-64 and arm64) when OUTBOX_PG_VERSION asks for a
# major version or when no system binaries are found and the user is not root (no apt-get, no
# root needed). As root without system binaries, Debian's postgresql package is installed instead:
# root needs its "postgres" OS user to run the server.
#
#   eval "$(scripts/pg-local.sh start)"   # prints: export OUTBOX_TEST_PG_URL=... OUTBOX_PG_DIR=...
#   scripts/pg-local.sh status
#   scripts/pg-local.sh restart [fast|immediate]
#   scripts/pg-local.sh stop
#   eval "$(scripts/pg-local.sh bin)"     # only the server binaries: prints export OUTBOX_PG_BIN=...
#
# Environment:
#   OUTBOX_PG_DIR   cluster directory (default /tmp/outbox-pg); removed by "stop"
#   OUTBOX_PG_PORT  port (default: the first free one from 55432)
#   OUTBOX_PG_VERSION  major version (14-18) to run from Maven Central's binaries, e.g. 17
#   OUTBOX_PG_CACHE    where those binaries are unpacked (default /tmp/outbox-pg-binaries)
# As root, the server runs as the "postgres" OS user (PostgreSQL refuses to run as root).
# Progress goes to stderr; stdout carries only the export lines.
set -euo pipefail

DIR="${OUTBOX_PG_DIR:-/tmp/outbox-pg}"
say() { echo "pg-local: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir)"
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  return 1
}

# The newest release of each major version on Maven Central (io.zonky.test.postgres), pinned.
zonky_version() {
  case "$1" in
    14) echo 14.25.0 ;; 15) echo 15.20.0 ;; 16) echo 16.16.0 ;; 17) echo 17.12.0 ;; 18) echo 18.7.0 ;;
    *) die "OUTBOX_PG_VERSION=$1 is not one of 14, 15, 16, 17, 18" ;;
  esac
}

zonky_platform() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) die "no PostgreSQL binaries on Maven Central for $(uname -s)" ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64v8 ;; *) die "no PostgreSQL binaries on Maven Central for $(uname -m)" ;; esac
  echo "$os-$arch"
}

# Unpacks PostgreSQL <major> from Maven Central into the cache (once) and prints its bin folder.
maven_bindir() {
  local version platform home target jar
  version="$(zonky_version "$1")"
  platform="$(zonky_platform)"
  home="${OUTBOX_PG_CACHE:-/tmp/outbox-pg-binaries}/$version-$platform"
  if [ ! -x "$home/bin/initdb" ]; then
    say "fetching PostgreSQL $version ($platform) from Maven Central"
    target="$(mktemp -d)"
    "$(dirname "$0")/../mvnw" -B -q -ntp dependency:copy \
      -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-$platform:$version" \
      -DoutputDirectory="$target" >&2 || die "could not fetch io.zonky.test.postgres:embedded-postgres-binaries-$platform:$version"
    jar="$(ls "$target"/*.jar)"
    (cd "$target" && jar xf "$jar") || die "could not unpack $jar (needs the JDK's jar tool)"
    mkdir -p "$home.tmp"
    tar -xJf "$(ls "$target"/*.txz)" -C "$home.tmp" || die "could not unpack PostgreSQL's archive (needs xz)"
    rm -rf "$home" "$target"; mv "$home.tmp" "$home"
    [ "$(id -u)" = 0 ] && chmod -R a+rX "$home" && chmod a+x "$(dirname "$home")"
  fi
  echo "$home/bin"
}

ensure_binaries() {
  if [ -n "${OUTBOX_PG_VERSION:-}" ]; then
    BIN="$(maven_bindir "$OUTBOX_PG_VERSION")"
  else
    BIN="$(find_bindir || true)"
  fi
  if [ -z "$BIN" ] && [ "$(id -u)" != 0 ]; then
    say "PostgreSQL server binaries not found; using PostgreSQL 15 from Maven Central (no root needed)"
    BIN="$(maven_bindir 15)"
  fi
  if [ -z "$BIN" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "PostgreSQL server binaries not found; installing Debian's postgresql package with apt-get"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      BIN="$(find_bindir || true)"
    fi
    [ -n "$BIN" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: sudo apt-get install postgresql"
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    die "running as root needs the 'postgres' OS user (created by Debian's postgresql package): apt-get install postgresql"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  if [ -n "${OUTBOX_PG_PORT:-}" ]; then
    port_free "$OUTBOX_PG_PORT" || die "port $OUTBOX_PG_PORT (OUTBOX_PG_PORT) is taken; choose another or unset it"
    echo "$OUTBOX_PG_PORT"; return
  fi
  local port
  for port in $(seq 55432 55532); do
    if port_free "$port"; then echo "$port"; return; fi
  done
  die "no free port in 55432-55532; set OUTBOX_PG_PORT"
}

next_free_port() {
  local port
  for port in $(seq $(($1 + 1)) 55532); do
    if port_free "$port"; then echo "$port"; return; fi
  done
  die "no free port in $(($1 + 1))-55532; set OUTBOX_PG_PORT"
}

print_env() {
  local port; port="$(cat "$DIR/port")"
  echo "export OUTBOX_TEST_PG_URL='jdbc:postgresql://127.0.0.1:${port}/postgres?user=postgres'"
  echo "export OUTBOX_PG_DIR='$DIR'"
  echo "export OUTBOX_PG_BIN='$(cat "$DIR/bindir")'"
}

running() { [ -f "$DIR/port" ] && as_server_user "$(cat "$DIR/bindir")/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; }

start() {
  if running; then say "already running in $DIR on port $(cat "$DIR/port")"; print_env; return; fi
  ensure_binaries
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  echo "$BIN" > "$DIR/bindir"
  local port; port="$(pick_port)"
  echo "$port" > "$DIR/port"
  say "initdb in $DIR/data"
  # C.UTF-8 where the system has it (glibc); plain C otherwise (macOS), UTF-8 encoded either way.
  as_server_user "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { rm -rf "$DIR/data"; as_server_user "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C \
      >"$DIR/initdb.log" 2>&1; } \
    || { cat "$DIR/initdb.log" >&2; die "initdb failed (log above)"; }
  cat >> "$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR'
wal_level = logical
max_replication_slots = 40
max_wal_senders = 40
max_connections = 200
max_slot_wal_keep_size = 4GB
wal_sender_timeout = 60s
fsync = off
synchronous_commit = on
full_page_writes = off
shared_buffers = 256MB
CONF
  local attempt
  for attempt in 1 2 3 4 5; do
    say "starting PostgreSQL on 127.0.0.1:$port (wal_level=logical)"
    if as_server_user "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >&2; then
      print_env; return
    fi
    # The port was free when picked, but initdb takes seconds: another server started meanwhile
    # (two runs at once) may have taken it. Take the next free one, unless the user chose it.
    if [ -n "${OUTBOX_PG_PORT:-}" ] || ! grep -q "Address already in use" "$DIR/server.log" 2>/dev/null; then
      break
    fi
    say "port $port was taken while initdb ran; trying another"
    port="$(next_free_port "$port")"
    echo "$port" > "$DIR/port"
    echo "port = $port" >> "$DIR/data/postgresql.conf"   # the last setting in the file wins
    : > "$DIR/server.log"
  done
  tail -n 30 "$DIR/server.log" >&2; die "PostgreSQL did not start (log above: $DIR/server.log)"
}

stop() {
  if [ -f "$DIR/bindir" ] && [ -d "$DIR/data" ]; then
    as_server_user "$(cat "$DIR/bindir")/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$DIR"
  say "stopped and removed $DIR"
}

restart() {
  local mode="${1:-fast}"
  running || die "no cluster runs in $DIR"
  as_server_user "$(cat "$DIR/bindir")/pg_ctl" -D "$DIR/data" -m "$mode" -w -t 60 restart -l "$DIR/server.log" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) restart "${2:-fast}" ;;
  status) if running; then say "running in $DIR on port $(cat "$DIR/port")"; print_env; else say "not running"; exit 3; fi ;;
  env) print_env ;;
  bin) ensure_binaries; echo "export OUTBOX_PG_BIN='$BIN'" ;;
  *) echo "usage: $0 start|stop|status|env|bin|restart [fast|immediate]" >&2; exit 2 ;;
esac
