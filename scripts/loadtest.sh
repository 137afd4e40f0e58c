#!/usr/bin/env bash
# Load test: gunicorn (several workers) on a throwaway PostgreSQL with the demo organisation,
# driven by locust headless on 127.0.0.1 for a bounded time and number of users.
# Fails if any request errors or the 95th percentile is over P95_BUDGET_MS.
#   USERS=10 SPAWN_RATE=5 DURATION=60s WORKERS=4 P95_BUDGET_MS=500 scripts/loadtest.sh
# The budget applies to every page's 95th percentile; statistics restart once all users are
# spawned and signed in (--reset-stats), so worker start-up and sign-in are not counted.
set -euo pipefail
cd "$(dirname "$0")/.."

USERS="${USERS:-10}"
SPAWN_RATE="${SPAWN_RATE:-5}"
DURATION="${DURATION:-60s}"
WORKERS="${WORKERS:-4}"
export P95_BUDGET_MS="${P95_BUDGET_MS:-500}"
out="test-artifacts/loadtest"
mkdir -p "$out"

work="$(mktemp -d /tmp/tracker-load.XXXXXX)"
pg_dir="$work/pg"
gunicorn_pid=""
cleanup() {
  [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
  scripts/pg_cluster.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chmod 777 "$work"

DATABASE_URL="$(scripts/pg_cluster.sh start "$pg_dir")"
export DATABASE_URL
export TRACKER_ENV=development  # plain HTTP on loopback: cookies without the Secure flag
export SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')"
export UPLOAD_DIR="$work/uploads"
export MAIL_SERVER=""

.venv/bin/flask db upgrade >/dev/null
.venv/bin/flask demo load >"$out/demo.txt"

port="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
GUNICORN_WORKERS="$WORKERS" GUNICORN_BIND="127.0.0.1:$port" GUNICORN_ACCESS_LOG=/dev/null \
  GUNICORN_ERROR_LOG="$out/gunicorn.log" .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app &
gunicorn_pid=$!
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

echo "Load test: $USERS users (spawn $SPAWN_RATE/s) for $DURATION against gunicorn -w $WORKERS on PostgreSQL; p95 budget ${P95_BUDGET_MS} ms"
.venv/bin/locust -f loadtest/locustfile.py --headless --users "$USERS" --spawn-rate "$SPAWN_RATE" \
  --run-time "$DURATION" --reset-stats --host "http://127.0.0.1:$port" --csv "$out/locust" --only-summary \
  --stop-timeout 5 --loglevel WARNING
