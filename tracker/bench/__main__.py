"""`python -m tracker.bench [--postgres] [--actions N] ...`: the benchmark (not part of the tests).

Builds a large organisation in a temporary database and prints a table a reader can compare
between commits: SQL queries per request for each main page at a small and a large number of
actions (they should be equal), each page's median latency as a ratio to /healthz measured in
the same run, readiness computation time, a reminder run for many owners against a local SMTP
server, and the import of a large framework's scores.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from config import ROOT, TestingConfig
from tracker.bench import build, measure


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tracker.bench", description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--actions", type=int, default=10_000, help="large size (10,000)")
    parser.add_argument("--small", type=int, default=100, help="small size (100)")
    parser.add_argument("--milestones-per-action", type=int, default=5)
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--reminder-owners", type=int, default=5_000)
    parser.add_argument("--import-questions", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=7, help="requests per page for medians")
    return parser.parse_args(argv)


def app_for(url: str, workdir: Path) -> Any:
    from flask_migrate import upgrade

    from tracker import create_app

    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    config.UPLOAD_DIR = str(workdir / "uploads")
    app = create_app(config)
    app.instance_path = str(workdir / "instance")
    app.config["OUTBOX_DIR"] = str(workdir / "instance" / "outbox")
    with app.app_context():
        upgrade()
    return app


@contextmanager
def databases(kind: str, workdir: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases (main and import) of the given kind; removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}", f"sqlite:///{workdir / 'import.db'}"
        return
    cluster = workdir / "pg"
    script = str(ROOT / "scripts" / "pg_cluster.sh")
    base = subprocess.run(
        [script, "start", str(cluster)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in ("bench", "bench_import"):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(base)
        yield (
            url.set(database="bench").render_as_string(hide_password=False),
            url.set(database="bench_import").render_as_string(hide_password=False),
        )
    finally:
        subprocess.run([script, "stop", str(cluster)], check=False, capture_output=True)


def run_backend(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    from tracker.extensions import db

    print(f"[{kind}] building the organisation ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=f"tracker-bench-{kind}-") as tmp:
        workdir = Path(tmp)
        if kind == "postgresql":
            os.chmod(workdir, 0o777)  # noqa: S103 - the cluster runs as postgres when root
        with databases(kind, workdir) as (main_url, import_url):
            app = app_for(main_url, workdir)
            with app.app_context():
                org = build.build_organisation(db.session, args.owners)
                build.add_actions(db.session, org, args.small, args.milestones_per_action)
            pages: dict[str, measure.PageResult] = {}
            measure.count_queries(app, org, pages)
            print(f"[{kind}] adding {args.actions - args.small} actions ...", file=sys.stderr)
            with app.app_context():
                build.add_actions(
                    db.session, org, args.actions - args.small, args.milestones_per_action
                )
            measure.count_queries(app, org, pages)
            print(f"[{kind}] timing pages ...", file=sys.stderr)
            measure.time_pages(app, org, pages, args.repeats)
            result: dict[str, Any] = {"pages": pages, "org": org}
            result["readiness"] = readiness_time(app, org)
            result["reminders"] = reminder_time(app, org, args.reminder_owners)
            result["import"] = import_time(import_url, workdir, args.import_questions)
            with app.app_context():
                db.engine.dispose()
            return result


def readiness_time(app: Any, org: build.Org) -> str:
    try:
        from tracker.domain.readiness import compute_readiness
    except ImportError:
        return measure.NOT_BUILT
    from tracker.extensions import db

    with app.app_context():
        seconds, report = measure.timed(
            lambda: compute_readiness(
                db.session, organisation_id=org.organisation_id, as_of=build.TODAY
            ),
            repeats=3,
        )
        db.session.remove()
    return f"{seconds:.3f} s" + ("" if report is not None else " (no report)")


def reminder_time(app: Any, org: build.Org, owners: int) -> str:
    try:
        from tracker.jobs import run_job
    except ImportError:
        return measure.NOT_BUILT
    from tracker.extensions import db

    with app.app_context():
        build.spread_over_owners(db.session, org, owners)
        db.session.remove()
    with measure.smtp_server() as (port, handler):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
        with app.app_context():
            seconds, outcome = measure.timed(lambda: run_job("reminders", as_of=build.TODAY))
            db.session.remove()
        app.config["MAIL_SERVER"] = None
    summary = getattr(outcome, "summary", None) or {}
    return (
        f"{seconds:.2f} s for {owners} owners: queued {summary.get('queued', '?')}, "
        f"{handler.messages} delivered over SMTP"
    )


def import_time(url: str, workdir: Path, questions: int) -> str:
    try:
        from tracker.domain.importing import import_round
    except ImportError:
        return measure.NOT_BUILT
    from tracker.domain.accounts import default_organisation
    from tracker.domain.framework_loader import load_framework, validate_framework
    from tracker.extensions import db

    framework = build.large_framework(questions)
    assert not validate_framework(framework), validate_framework(framework)
    data = build.scores_csv(framework)
    app = app_for(url, workdir / "import")
    with app.app_context():
        load_framework(db.session, framework)
        organisation = default_organisation(db.session)
        db.session.commit()
        seconds, summary = measure.timed(
            lambda: import_round(
                db.session,
                None,
                organisation=organisation,
                data=data,
                round_name="Baseline",
                held_on=build.TODAY,
                now=build.NOW,
                max_bytes=len(data) + 1,
            )
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return f"{seconds:.2f} s for {questions} questions ({summary.spawned} actions spawned)"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def commit() -> str:
    result = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    from tracker.bench.report import render

    return render(results, args, machine=machine(), commit=commit())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    results = {kind: run_backend(kind, args) for kind in kinds}
    print(report(results, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
