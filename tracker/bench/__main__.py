"""`python -m tracker.bench [--postgres] [--actions N] ...`: the benchmark (not part of the tests).

Builds a large organisation in a temporary database and prints a table a reader can compare
between commits: SQL queries per request for each main page at a small and a large number of
actions (they should be equal), each page's median latency as a ratio to /healthz measured in
the same run; readiness computation (queries and median time) at 100, 10,000 and 50,000
milestones; a reminder run for 1,000 and for 5,000 owners against a local SMTP server; and the
import of a large framework's scores; and the system view for a system of 4 and of 40
organisations (tracker/bench/systems.py).
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
from tracker.bench import build, measure, scenarios, systems


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tracker.bench", description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--actions", type=int, default=10_000, help="large size (10,000)")
    parser.add_argument("--small", type=int, default=100, help="small size (100)")
    parser.add_argument("--milestones-per-action", type=int, default=5)
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument(
        "--reminder-owners",
        type=int,
        nargs="+",
        default=[1_000, 5_000],
        help="owners for each reminder run (1000 5000)",
    )
    parser.add_argument(
        "--readiness-actions",
        type=int,
        nargs="+",
        default=[20, 2_000],
        help="also time readiness at these numbers of actions (20 2000: 100 and 10,000 milestones)",
    )
    parser.add_argument("--readiness-repeats", type=int, default=5)
    parser.add_argument("--import-questions", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=7, help="requests per page for medians")
    parser.add_argument(
        "--system-actions", type=int, default=200, help="actions per organisation (200)"
    )
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
def databases(kind: str, workdir: Path) -> Iterator[tuple[str, str, str]]:
    """Three empty databases (main, import, systems) of the given kind; removed afterwards."""
    if kind == "sqlite":
        yield (
            f"sqlite:///{workdir / 'bench.db'}",
            f"sqlite:///{workdir / 'import.db'}",
            f"sqlite:///{workdir / 'systems.db'}",
        )
        return
    cluster = workdir / "pg"
    script = str(ROOT / "scripts" / "pg_cluster.sh")
    base = subprocess.run(
        [script, "start", str(cluster)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in ("bench", "bench_import", "bench_systems"):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(base)
        yield (
            url.set(database="bench").render_as_string(hide_password=False),
            url.set(database="bench_import").render_as_string(hide_password=False),
            url.set(database="bench_systems").render_as_string(hide_password=False),
        )
    finally:
        subprocess.run([script, "stop", str(cluster)], check=False, capture_output=True)


def run_backend(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    from tracker.database import db_session
    from tracker.extensions import db

    print(f"[{kind}] building the organisation ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix=f"tracker-bench-{kind}-") as tmp:
        workdir = Path(tmp)
        if kind == "postgresql":
            os.chmod(workdir, 0o777)  # noqa: S103 - the cluster runs as postgres when root
        with databases(kind, workdir) as (main_url, import_url, system_url):
            app = app_for(main_url, workdir)
            with app.app_context():
                org = build.build_organisation(db_session(), args.owners)
            result: dict[str, Any] = {"org": org, "pages": {}, "readiness": {}}
            for size in checkpoints(args):
                if size > org.actions:
                    print(f"[{kind}] growing to {size} actions ...", file=sys.stderr)
                    with app.app_context():
                        build.add_actions(
                            db_session(), org, size - org.actions, args.milestones_per_action
                        )
                measure_at(kind, app, org, size, args, result)
            result["reminders"] = scenarios.reminders(app, org, args.reminder_owners)
            result["import"] = scenarios.import_scores(
                app_for, import_url, workdir, args.import_questions
            )
            print(f"[{kind}] the system view at 1, 4 and 40 organisations ...", file=sys.stderr)
            result["systems"] = systems.system_view(
                app_for, system_url, workdir, actions=args.system_actions, repeats=args.repeats
            )
            with app.app_context():
                db.engine.dispose()
            return result


def checkpoints(args: argparse.Namespace) -> list[int]:
    """Every number of actions something is measured at, smallest first."""
    return sorted({args.small, args.actions, *args.readiness_actions})


def measure_at(
    kind: str, app: Any, org: build.Org, size: int, args: argparse.Namespace, result: dict[str, Any]
) -> None:
    """What is measured once the organisation has `size` actions: query counts per page at
    the small and large sizes, page latencies at the large size, readiness at the readiness
    sizes and the large size."""
    if size in (args.small, args.actions):
        measure.count_queries(app, org, result["pages"])
    if size == args.actions:
        print(f"[{kind}] timing pages ...", file=sys.stderr)
        measure.time_pages(app, org, result["pages"], args.repeats)
    if size not in (*args.readiness_actions, args.actions):
        return
    outcome = scenarios.readiness(app, org, args.readiness_repeats)
    if isinstance(outcome, str):
        result["readiness"] = outcome
    elif isinstance(result["readiness"], dict):
        result["readiness"][size] = outcome


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
    from tracker.bench.table import render

    return render(results, args, machine=machine(), commit=commit())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    results = {kind: run_backend(kind, args) for kind in kinds}
    print(report(results, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
