#!/usr/bin/env bash
# Set up (see setup.sh), prepare the embedded SQLite database and serve the app on
# http://127.0.0.1:5000 in development mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export TRACKER_ENV="${TRACKER_ENV:-development}"
.venv/bin/flask db upgrade
.venv/bin/flask framework load
echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)."
echo "Create a first user with: TRACKER_ENV=development .venv/bin/flask users create you@nhs.net --name 'Your Name' --role admin"
echo "or explore a demo organisation with: TRACKER_ENV=development .venv/bin/flask demo load"
exec .venv/bin/flask run --host 127.0.0.1 --port 5000
