#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the test suite.
#   scripts/pg-test-cluster.sh start   -> installs Debian's postgresql-15 if missing, starts a
#                                         cluster in var/pgtest, prints its database URL
#   scripts/pg-test-cluster.sh stop    -> stops it and removes its files
# PostgreSQL refuses to run as root, so when we are root the server runs as user "postgres".
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=${FAWANG_PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${FAWANG_PGTEST_PORT:-54329}
DIR=${FAWANG_PGTEST_DIR:-/tmp/fawang-pgtest-$PORT}
LOG=$DIR.log

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ ! -x "$PGBIN/pg_ctl" ]; then
      echo "==> installing postgresql-15 from Debian" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql-15 postgresql-contrib >&2
    fi
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
    fi
    if [ -f "$DIR/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$DIR" -m immediate stop >&2 || true; fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$DIR"
    touch "$LOG"; [ "$(id -u)" = "0" ] && chown postgres "$LOG"
    as_pg "$PGBIN/initdb" -D "$DIR" -U fawang --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Durability is pointless for a throwaway cluster; turning it off makes the suite faster.
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$LOG" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U fawang fawang >&2
    echo "postgres://fawang@127.0.0.1:$PORT/fawang"
    ;;
  stop)
    if [ -f "$DIR/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$DIR" "$LOG"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
