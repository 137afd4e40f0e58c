"""Pre-round notices: the readiness summary for directors and admins 60, 30 and 7 days before
the next round.

Reads in a constant number of queries per organisation, queues with ON CONFLICT DO NOTHING per
(recipient, kind, period), and never commits or sends.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.outbox.queue import Renderer, SweepResult, email_row, queue_emails
from tracker.domain.readiness import compute_readiness
from tracker.domain.readiness.risks import AT_RISK_SHOWN
from tracker.domain.reminders.open_work import next_round_dates
from tracker.models import Role, User

PRE_ROUND_WINDOWS = ((7, "pre_round_7"), (30, "pre_round_30"), (60, "pre_round_60"))


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
        if user.organisation_id is not None:
            people[user.organisation_id].append(user)
    return people


def queue_pre_round_notices(
    session: Session, *, today: date, now: datetime, base_url: str, render: Renderer
) -> SweepResult:
    """When the next round is 60, 30 or 7 days away (or fewer), queue the readiness summary for
    directors and admins: expected level per component and the most at risk (with a link to
    them all when there are more than the email lists). One notice per
    window per round date (the period), so a late run catches up once and never repeats."""
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
                for item in report.at_risk[:AT_RISK_SHOWN]
            ],
            "at_risk_total": len(report.at_risk),
            "at_risk_link": f"{base_url.rstrip('/')}/readiness/at-risk",
            "readiness_link": f"{base_url.rstrip('/')}/readiness",
        }
        subject = f"Next self-assessment in {(round_on - today).days} days: readiness summary"
        rows = []
        for person in people[organisation_id]:
            text, html = render("pre_round", {**context, "name": person.name})
            link = str(context["readiness_link"])
            rows.append(email_row(person, kind, round_on.isoformat(), subject, text, html, link))
        result.add(queue_emails(session, rows, now))
    return result
