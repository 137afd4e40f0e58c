#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then pytest on SQLite, then pytest again on a
# throwaway PostgreSQL cluster that this script starts and always stops.
# Extra arguments go to pytest (e.g. scripts/test.sh -k import).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test,dev
scripts/install_browser.sh

mkdir -p test-artifacts
export TRACKER_ENV=testing
export PYTHONDONTWRITEBYTECODE=1
workers="${PYTEST_WORKERS:-2}"

echo "== Lint (ruff) and types (mypy on tracker/)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy

echo "== Tests on SQLite"
unset TEST_DATABASE_URL
.venv/bin/pytest -n "$workers" --junitxml=test-artifacts/sqlite.xml "$@"

echo "== Tests on PostgreSQL"
pg_dir="$(mktemp -d /tmp/tracker-pg.XXXXXX)"
trap 'scripts/pg_cluster.sh stop "$pg_dir"' EXIT
TEST_DATABASE_URL="$(scripts/pg_cluster.sh start "$pg_dir")"
export TEST_DATABASE_URL
# The every-page scan (axe and 390 px on every page) checks markup, which does not depend on
# the database, so it runs once, on SQLite; every route is still requested on PostgreSQL by
# the permission matrix, and the browser journeys run on both.
.venv/bin/pytest -n "$workers" --junitxml=test-artifacts/postgresql.xml \
  --deselect tests/e2e/test_every_page.py "$@"

.venv/bin/python scripts/summarise_junit.py test-artifacts/sqlite.xml test-artifacts/postgresql.xml
