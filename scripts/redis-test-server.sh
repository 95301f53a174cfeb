#!/usr/bin/env bash
# A throwaway Redis on loopback for the tests that need one (shared cache, huey on Redis).
#   scripts/redis-test-server.sh start  -> installs Debian's redis-server if missing, starts it
#                                         without persistence, prints its URL
#   scripts/redis-test-server.sh stop   -> stops it and removes its files
set -euo pipefail
PORT=${FAWANG_REDISTEST_PORT:-63799}
DIR=${FAWANG_REDISTEST_DIR:-/tmp/fawang-redistest-$PORT}

case "${1:-}" in
  start)
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "==> installing redis-server from Debian" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq redis-server >&2
    fi
    if [ -f "$DIR/redis.pid" ]; then kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; sleep 0.5; fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    redis-server --port "$PORT" --bind 127.0.0.1 --dir "$DIR" --save "" --appendonly no \
      --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >&2
    for _ in $(seq 50); do
      redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    redis-cli -p "$PORT" ping >/dev/null
    echo "redis://127.0.0.1:$PORT/0"
    ;;
  stop)
    if [ -f "$DIR/redis.pid" ]; then kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; fi
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
