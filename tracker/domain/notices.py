"""Scheduled notices besides the reminders: pre-round readiness notices, the nightly evidence
integrity check and the nightly readiness recompute; plus the email renderer they all share.

Like tracker.domain.reminders these read in a constant number of queries, queue with
ON CONFLICT DO NOTHING per (recipient, kind, period), and never commit or send.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.reminders import Renderer, SweepResult, _queue, _row, next_round_dates
from tracker.models import Evidence, EvidenceKind, Role, User

PRE_ROUND_WINDOWS = ((7, "pre_round_7"), (30, "pre_round_30"), (60, "pre_round_60"))


def format_day(day: date) -> str:
    """A date the way people write it in the UK: 1 December 2026."""
    return f"{day.day} {day:%B %Y}"


class EmailRenderer:
    """Renders templates/email/<kind>.txt and .html with a plain Jinja environment (no Flask);
    HTML is autoescaped, text is not."""

    def __init__(self, directory: str | Path) -> None:
        self.environment = Environment(
            loader=FileSystemLoader(str(directory)),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["day"] = format_day

    def __call__(self, kind: str, context: dict[str, object]) -> tuple[str, str]:
        text = self.environment.get_template(f"{kind}.txt").render(context)
        html = self.environment.get_template(f"{kind}.html").render(context)
        return text, html


def pre_round_kind(days_left: int) -> str | None:
    """Which notice is due with this many days to the round: 60, 30 or 7 days before."""
    for window, kind in PRE_ROUND_WINDOWS:
        if 0 <= days_left <= window:
            return kind
    return None


def _people_by_organisation(session: Session, roles: tuple[str, ...]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = defaultdict(list)
    for user in session.scalars(
        select(User).where(User.is_active, User.role.in_(roles)).order_by(User.id)
    ):
        people[user.organisation_id].append(user)
    return people


def queue_pre_round_notices(
    session: Session, *, today: date, now: datetime, base_url: str, render: Renderer
) -> SweepResult:
    """When the next round is 60, 30 or 7 days away (or fewer), queue the readiness summary for
    directors and admins: expected level per component and what is at risk. One notice per
    window per round date (the period), so a late run catches up once and never repeats."""
    from tracker.domain.readiness import compute_readiness

    result = SweepResult()
    people = _people_by_organisation(session, (Role.DIRECTOR.value, Role.ADMIN.value))
    for organisation_id, round_on in sorted(next_round_dates(session, today).items()):
        kind = pre_round_kind((round_on - today).days)
        if kind is None or not people.get(organisation_id):
            continue
        report = compute_readiness(session, organisation_id=organisation_id, as_of=today)
        if report is None:
            continue
        context = {
            "round_on": round_on,
            "days_left": (round_on - today).days,
            "round_name": report.round_name,
            "overall": report.overall,
            "components": report.components,
            "at_risk": [
                {
                    "title": item.title,
                    "reasons": list(item.reasons),
                    "link": f"{base_url.rstrip('/')}/actions/{item.action_id}",
                }
                for item in report.at_risk
            ],
            "readiness_link": f"{base_url.rstrip('/')}/readiness",
        }
        subject = f"Next self-assessment in {(round_on - today).days} days: readiness summary"
        rows = []
        for person in people[organisation_id]:
            text, html = render("pre_round", {**context, "name": person.name})
            rows.append(_row(person, kind, round_on.isoformat(), subject, text, html))
        result.add(_queue(session, rows, now))
    return result


@dataclass(frozen=True)
class IntegrityProblem:
    evidence_id: int
    action_id: int
    name: str
    problem: str


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_evidence_files(session: Session, upload_dir: str | Path) -> list[IntegrityProblem]:
    """Every stored evidence file that is missing or whose bytes no longer match the SHA-256
    taken at upload (one query; files are hashed in chunks)."""
    problems = []
    folder = Path(upload_dir)
    for evidence in session.scalars(
        select(Evidence)
        .where(Evidence.kind == EvidenceKind.FILE, Evidence.deleted_at.is_(None))
        .order_by(Evidence.id)
    ):
        name = evidence.original_filename or evidence.title or f"evidence {evidence.id}"
        path = folder / (evidence.stored_name or "")
        if not evidence.stored_name or not path.is_file():
            problem = "the file is missing"
        elif _sha256_of(path) != evidence.sha256:
            problem = "the file's contents no longer match what was uploaded"
        else:
            continue
        problems.append(IntegrityProblem(evidence.id, evidence.action_id, name, problem))
    return problems


def queue_integrity_report(
    session: Session,
    *,
    today: date,
    now: datetime,
    base_url: str,
    render: Renderer,
    upload_dir: str | Path,
) -> tuple[list[IntegrityProblem], SweepResult]:
    """Check the evidence files and, only when something is wrong, queue one report per admin
    for the day."""
    problems = check_evidence_files(session, upload_dir)
    if not problems:
        return problems, SweepResult()
    items = [
        {
            "name": p.name,
            "problem": p.problem,
            "evidence_id": p.evidence_id,
            "link": f"{base_url.rstrip('/')}/actions/{p.action_id}",
        }
        for p in problems
    ]
    subject = (
        f"Evidence check: {len(problems)} file{'s' if len(problems) != 1 else ''} need attention"
    )
    rows = []
    for admin in session.scalars(
        select(User).where(User.is_active, User.role == Role.ADMIN).order_by(User.id)
    ):
        text, html = render("integrity", {"name": admin.name, "today": today, "items": items})
        rows.append(_row(admin, "integrity", today.isoformat(), subject, text, html))
    return problems, _queue(session, rows, now)


def recompute_readiness(session: Session, *, today: date) -> int:
    """Recompute every organisation's readiness and store today's snapshots (a recompute on
    the same day replaces them). Returns the number of snapshot rows written."""
    from tracker.domain.readiness import compute_readiness, store_snapshots
    from tracker.models import AssessmentRound

    written = 0
    organisation_ids = session.scalars(select(AssessmentRound.organisation_id).distinct())
    for organisation_id in sorted(set(organisation_ids)):
        report = compute_readiness(session, organisation_id=organisation_id, as_of=today)
        if report is not None:
            written += store_snapshots(session, report, today)
    return written
