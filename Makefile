# The two commands the README promises, and a few helpers.
.PHONY: run test setup lint format bench loadtest

run:            ## set up everything and serve the app on http://127.0.0.1:5000 (SQLite)
	scripts/run.sh

test:           ## set up and run the whole suite on SQLite, then PostgreSQL
	scripts/test.sh

setup:
	scripts/setup.sh test,dev

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:          ## benchmark on SQLite and a throwaway PostgreSQL (not part of the tests)
	scripts/setup.sh test,dev
	.venv/bin/python -m tracker.bench --postgres

loadtest:       ## locust against gunicorn on PostgreSQL with the demo data (not run by CI)
	scripts/setup.sh test,dev
	scripts/loadtest.sh
