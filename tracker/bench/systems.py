"""The system view at scale: a system of 4 and then 40 organisations, each with 200 actions
and 1,000 milestones and a shared round. Measured in one run, in one database:

- the system view's SQL queries per request at 4 and at 40 organisations (should be equal),
  and its median as a ratio of the organisation dashboard's median (should be within 3x);
- the organisation's own pages (dashboard, action list, readiness): queries and median with 1
  organisation in the installation and with 40 (should be equal, and about the same).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.bench import build, measure

SIZES = (1, 4, 40)
# The organisation's own pages, measured with 1, 4 and 40 organisations in the installation.
OWN_PAGES = {"/dashboard": "dashboard", "/actions": "action list", "/readiness": "readiness"}


@dataclass
class SystemResult:
    actions_each: int
    milestones_each: int
    queries: dict[str, dict[int, int]] = field(default_factory=dict)  # page -> orgs -> count
    median_ms: dict[str, dict[int, float]] = field(default_factory=dict)


def _median_ms(client: Any, url: str, repeats: int) -> float:
    client.get(url)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _measure(app: Any, client: Any, result: SystemResult, orgs: int, repeats: int) -> None:
    counter = measure.QueryCounter()
    pages = OWN_PAGES | ({"/system": "system view"} if orgs > 1 else {})
    for url, label in pages.items():
        client.get(url)
        with counter.listening(app):
            counter.count = 0
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        result.queries.setdefault(label, {})[orgs] = counter.count
        result.median_ms.setdefault(label, {})[orgs] = _median_ms(client, url, repeats)


def _add_organisation(session: Any, system: Any, n: int, actions: int, milestones: int) -> Any:
    from tracker.domain.boundary import scoped
    from tracker.models import Organisation, RoundShare

    organisation = Organisation(ods_code=f"B{n:03d}", name=f"Bench trust {n}", system=system)
    session.add(organisation)
    session.flush()
    with scoped(session, organisation.id):
        org = build.build_organisation(session, owners=20, organisation=organisation, ranks=n + 1)
        build.add_actions(session, org, actions, milestones)
        session.add(
            RoundShare(
                organisation_id=organisation.id,
                round_id=org.round_id,
                shared_by_id=org.admin_id,
                shared_at=build.NOW,
            )
        )
        session.commit()
    return org


def system_view(
    app_for: Any, url: str, workdir: Path, *, actions: int = 200, repeats: int = 7
) -> SystemResult | str:
    try:
        from tracker.domain.organisations.system_view import build_system_view  # noqa: F401
    except ImportError:
        return measure.NOT_BUILT
    from tracker.database import db_session
    from tracker.extensions import db
    from tracker.models import System

    milestones = 5
    result = SystemResult(actions, actions * milestones)
    app = app_for(url, workdir / "systems")
    with app.app_context():
        session = db_session()
        created = System(code="QB1", name="Bench ICS")
        session.add(created)
        session.commit()
        system_id = created.id
        first = _add_organisation(session, created, 0, actions, milestones)
        db.session.remove()
    client = measure.client_for(app, first.admin_id)
    built = 1
    for size in SIZES:
        with app.app_context():
            session = db_session()
            for n in range(built, size):
                _add_organisation(session, session.get(System, system_id), n, actions, milestones)
            built = size
            db.session.remove()
        _measure(app, client, result, size, repeats)
    with app.app_context():
        db.engine.dispose()
    return result


def render(result: SystemResult | str) -> list[str]:
    """The section of the benchmark's report."""
    if isinstance(result, str):
        return [f"System view: {result}"]
    lines = [
        f"System view: a system of organisations with {result.actions_each} actions and "
        f"{result.milestones_each} milestones each, every one sharing its round",
    ]
    for label, counts in result.queries.items():
        cells = ", ".join(
            f"{orgs} org{'s' if orgs > 1 else ''}: {count} queries, "
            f"{result.median_ms[label][orgs]:.1f} ms"
            for orgs, count in sorted(counts.items())
        )
        lines.append(f"  {label}: {cells}")
    system = result.queries.get("system view", {})
    lines.append(
        "  system view queries equal at 4 and 40 organisations: "
        + ("yes" if system.get(4) == system.get(40) else "NO")
    )
    for label in OWN_PAGES.values():
        counts = result.queries[label]
        lines.append(
            f"  {label} queries equal at 1 and 40 organisations: "
            + ("yes" if counts.get(1) == counts.get(40) else "NO")
            + f"; median at 40 / at 1: {result.median_ms[label][40] / result.median_ms[label][1]:.2f}"
        )
    ratio = result.median_ms["system view"][40] / result.median_ms["dashboard"][40]
    lines.append(
        f"  system view median / dashboard median at 40 organisations: {ratio:.2f} "
        f"({'within' if ratio <= 3 else 'NOT within'} 3x)"
    )
    return lines
