#!/usr/bin/env bash
# The test OpenID provider (tests/oidc/provider.mjs), for trying single sign-on by hand.
#   scripts/oidc_provider.sh start [PORT]  -> starts it in the background (default port 9000),
#                                            prints the OIDC_* settings to start the app with
#   scripts/oidc_provider.sh stop          -> stops it
# The test suite starts and stops its own provider; this script is not needed for `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
pidfile=instance/oidc-provider.pid
logfile=instance/oidc-provider.log

case "${1:-}" in
  start)
    port="${2:-9000}"
    mkdir -p instance
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "The test provider is already running (pid $(cat "$pidfile"))" >&2
      exit 1
    fi
    [ -d node_modules/oidc-provider ] || npm ci --no-audit --no-fund --loglevel=error
    node tests/oidc/provider.mjs "$port" >"$logfile" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      grep -q "ready at" "$logfile" 2>/dev/null && break
      sleep 0.1
    done
    if ! grep -q "ready at" "$logfile"; then
      echo "The test provider did not start; see $logfile" >&2
      exit 1
    fi
    cat <<MSG
Test OpenID provider at http://127.0.0.1:$port (development only: it accepts any password).
Start the app with:
  OIDC_DISCOVERY_URL=http://127.0.0.1:$port/.well-known/openid-configuration \\
  OIDC_CLIENT_ID=tracker OIDC_CLIENT_SECRET=tracker-test-secret make run
Then sign in with NHSmail, typing the login ada.lovelace (the demo admin, after
flask demo load) or any other name (someone nobody invited).
MSG
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
    ;;
  *)
    echo "usage: $0 start [PORT] | stop" >&2
    exit 2
    ;;
esac
