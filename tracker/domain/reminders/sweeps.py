"""Reminder sweeps: owner digests and director escalations, queued once per person and period.

Each sweep reads the database state in a constant number of queries (whatever the number of
owners), works out who should hear what in Python, and bulk-queues the emails with
INSERT … ON CONFLICT DO NOTHING on (recipient, kind, period). Running a sweep twice, or in two
processes at once, therefore queues each email once. Nothing here commits or sends: the job
commits, then tracker.mailing.sender.deliver_outbox() sends.

Tone: the tracker serves honest self-reflection, so the wording offers help, never blame.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.dates import LONDON
from tracker.domain.outbox.queue import Renderer, SweepResult, email_row, queue_emails
from tracker.domain.reminders.open_work import (
    OpenAction,
    active_owners,
    digests_sent_since,
    load_open_actions,
    next_round_dates,
    open_action_owner_ids,
)
from tracker.models import (
    DigestFrequency,
    DomainLead,
    Role,
    User,
)

STALE_AFTER_DAYS = 30
ESCALATE_AFTER_DAYS = 14
IGNORED_DIGESTS = 2


def month_period(day: date) -> str:
    """The monthly period key, e.g. "2026-12"."""
    return f"{day.year:04d}-{day.month:02d}"


def week_period(day: date) -> str:
    """The ISO-week period key, e.g. "2026-W49"."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def period_for(frequency: str, day: date) -> str:
    return week_period(day) if frequency == DigestFrequency.WEEKLY else month_period(day)


def digest_sections(
    actions: Iterable[OpenAction], today: date, next_round_on: date | None, base_url: str
) -> dict[str, list[dict[str, object]]]:
    """What one owner's digest lists, each line with a direct link to the action."""
    sections: dict[str, list[dict[str, object]]] = {
        "overdue": [],
        "due_before_round": [],
        "no_recent_update": [],
        "rejected_evidence": [],
        "actions": [],
    }
    for action in actions:
        link = action.link(base_url)
        sections["actions"].append({"title": action.title, "link": link})
        for title, due_on in action.open_milestones:
            line = {"title": title, "action": action.title, "due_on": due_on, "link": link}
            if due_on < today:
                line["days"] = (today - due_on).days
                sections["overdue"].append(line)
            elif next_round_on is not None and due_on <= next_round_on:
                sections["due_before_round"].append(line)
        # `today` is a UK date, so count from the UK date of the last activity (not the UTC one).
        idle_days = (today - action.last_activity.astimezone(LONDON).date()).days
        if idle_days >= STALE_AFTER_DAYS:
            sections["no_recent_update"].append(
                {"title": action.title, "days": idle_days, "link": link}
            )
        for label in action.rejected_evidence:
            sections["rejected_evidence"].append(
                {"title": label, "action": action.title, "link": link}
            )
    return sections


def queue_digests(
    session: Session,
    *,
    today: date,
    now: datetime,
    base_url: str,
    render: Renderer,
    frequencies: Iterable[str] = (DigestFrequency.MONTHLY, DigestFrequency.WEEKLY),
) -> SweepResult:
    """Queue one digest per active owner with open actions, for the owner's period (this month,
    or this ISO week for weekly owners). Overdue work is in every digest: it is never silenced."""
    wanted = {str(f) for f in frequencies}
    actions = load_open_actions(session)
    by_owner: dict[int, list[OpenAction]] = defaultdict(list)
    for action in actions.values():
        by_owner[action.owner_id].append(action)
    owners = active_owners(session)
    next_rounds = next_round_dates(session, today)
    rows = []
    for owner in owners:
        if owner.digest_frequency not in wanted:
            continue
        owned = by_owner[owner.id]
        next_on = next_rounds.get(owned[0].organisation_id)
        sections = digest_sections(owned, today, next_on, base_url)
        context: dict[str, object] = {
            "name": owner.name,
            "today": today,
            "next_round_on": next_on,
            **sections,
        }
        context["preferences_link"] = f"{base_url.rstrip('/')}/account/preferences"
        text, html = render("digest", context)
        rows.append(
            email_row(
                owner,
                "digest",
                period_for(owner.digest_frequency, today),
                _digest_subject(sections),
                text,
                html,
            )
        )
    return queue_emails(session, rows, now)


def _digest_subject(sections: dict[str, list[dict[str, object]]]) -> str:
    overdue = len(sections["overdue"])
    if overdue:
        return (
            f"Your improvement actions: {overdue} milestone{'s' if overdue != 1 else ''} past due"
        )
    return "Your improvement actions: this period's summary"


def escalation_reasons(action: OpenAction, today: date, digests_sent: list[datetime]) -> list[str]:
    """Why a director might want to offer help with an action (empty: nothing to raise)."""
    reasons = []
    late = [due for _, due in action.open_milestones if (today - due).days > ESCALATE_AFTER_DAYS]
    if late:
        days = (today - min(late)).days
        reasons.append(f"a milestone is {days} days past its planned date")
    # Only reminders sent since the owner last acted on it, and since they got it, count.
    since = max(action.last_activity, action.owned_since or action.last_activity)
    unanswered = sum(1 for sent_at in digests_sent if sent_at > since)
    if unanswered >= IGNORED_DIGESTS:
        reasons.append(f"no progress update since the last {unanswered} reminders")
    return reasons


def queue_escalations(
    session: Session, *, today: date, now: datetime, base_url: str, render: Renderer
) -> SweepResult:
    """Queue, once a month, one supportive note per director listing actions in the components
    they lead that are more than 14 days past a milestone or whose owner has had two reminders
    without an update. Directors with nothing to raise get nothing."""
    actions = load_open_actions(session)
    sent = digests_sent_since(session, {a.owner_id for a in actions.values()})
    owner_names = dict(
        session.execute(
            select(User.id, User.name).where(User.id.in_(open_action_owner_ids()))
        ).all()
    )
    directors: dict[int, User] = {}
    led: dict[int, set[int]] = defaultdict(set)
    for lead, user in session.execute(
        select(DomainLead, User)
        .join(User, DomainLead.user_id == User.id)
        .where(User.is_active, User.role.in_([Role.DIRECTOR, Role.ADMIN]))
    ):
        directors[user.id] = user
        led[user.id].add(lead.component_id)
    rows = []
    for director_id, director in sorted(directors.items()):
        items = []
        for action in actions.values():
            if action.component_id not in led[director_id]:
                continue
            reasons = escalation_reasons(action, today, sent.get(action.owner_id, []))
            if reasons:
                items.append(
                    {
                        "title": action.title,
                        "component": action.component_name,
                        "owner": owner_names.get(action.owner_id, "the owner"),
                        "reasons": reasons,
                        "link": action.link(base_url),
                    }
                )
        if not items:
            continue
        context = {"name": director.name, "today": today, "items": items}
        context["decisions_link"] = f"{base_url.rstrip('/')}/decisions"
        text, html = render("escalation", context)
        subject = (
            f"{len(items)} action{'s' if len(items) != 1 else ''} in your domains may need support"
        )
        rows.append(email_row(director, "escalation", month_period(today), subject, text, html))
    return queue_emails(session, rows, now)


def set_digest_frequency(session: Session, user: User, frequency: str, *, now: datetime) -> bool:
    """Record how often `user` wants the reminder digest (monthly or weekly; there is no
    "never", so overdue work is never silenced). Audited; returns True when it changed."""
    from tracker.domain.audit import record
    from tracker.domain.errors import DomainError

    if frequency not in {f.value for f in DigestFrequency}:
        raise DomainError("Select monthly or weekly", field="digest_frequency")
    if user.digest_frequency == frequency:
        return False
    before = user.digest_frequency
    user.digest_frequency = frequency
    record(
        session,
        user,
        "user",
        user.id,
        "digest_frequency",
        at=now,
        before={"digest_frequency": before},
        after={"digest_frequency": frequency},
    )
    return True
