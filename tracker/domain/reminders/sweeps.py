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

from tracker.domain.dates import LONDON, format_date
from tracker.domain.outbox.queue import Renderer, SweepResult, email_row, queue_emails
from tracker.domain.reminders.open_work import (
    OpenAction,
    UnplannedAction,
    active_owners,
    digests_sent_since,
    load_open_actions,
    load_unplanned_actions,
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


def digest_entries(
    actions: Iterable[OpenAction], today: date, next_round_on: date | None, base_url: str
) -> list[dict[str, object]]:
    """What one owner's digest lists: one entry per action with a direct link and every reason
    it is listed (milestones past their date or due before the next round, no recent update,
    evidence not accepted). Actions needing attention come first, the most overdue first."""
    entries: list[dict[str, object]] = []
    for action in actions:
        overdue, reasons = _digest_reasons(action, today, next_round_on)
        entries.append(
            {"title": action.title, "link": action.link(base_url), "reasons": reasons,
             "overdue": overdue}
        )  # fmt: skip
    return sorted(entries, key=lambda e: (-_count(e["overdue"]), not e["reasons"]))


def _count(value: object) -> int:
    return value if isinstance(value, int) else 0


def _digest_reasons(
    action: OpenAction, today: date, next_round_on: date | None
) -> tuple[int, list[str]]:
    """(How many of the action's milestones are past their date, why the action is listed)."""
    overdue, reasons = 0, []
    for title, due_on in action.open_milestones:
        if due_on < today:
            overdue += 1
            days = (today - due_on).days
            reasons.append(
                f"{title}: planned for {format_date(due_on)}, {days} day{'s' if days != 1 else ''}"
                " ago"
            )
        elif next_round_on is not None and due_on <= next_round_on:
            reasons.append(f"{title}: due {format_date(due_on)}, before the next self-assessment")
    # `today` is a UK date, so count from the UK date of the last activity (not the UTC one).
    idle_days = (today - action.last_activity.astimezone(LONDON).date()).days
    if idle_days >= STALE_AFTER_DAYS:
        reasons.append(f"No progress update for {idle_days} days")
    for label in action.rejected_evidence:
        reasons.append(
            f"Evidence not accepted yet: {label}. See the reviewer's note and add new evidence"
            " when ready"
        )
    return overdue, reasons


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
        entries = digest_entries(owned, today, next_on, base_url)
        context: dict[str, object] = {
            "name": owner.name,
            "today": today,
            "next_round_on": next_on,
            "entries": entries,
            "preferences_link": f"{base_url.rstrip('/')}/account/preferences",
        }
        text, html = render("digest", context)
        period = period_for(owner.digest_frequency, today)
        subject = _digest_subject(sum(_count(e["overdue"]) for e in entries))
        link = f"{base_url.rstrip('/')}/my-actions"
        rows.append(email_row(owner, "digest", period, subject, text, html, link))
    return queue_emails(session, rows, now)


def _digest_subject(overdue: int) -> str:
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
    without an update, and the open actions there with no owner or no milestones (nothing moves
    those until someone picks them up). Directors with nothing to raise get nothing."""
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
    unplanned = load_unplanned_actions(session)
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
        waiting = unplanned_items(unplanned, led[director_id], owner_names, base_url)
        if not items and not waiting:
            continue
        context = {"name": director.name, "today": today, "items": items, "unplanned": waiting}
        context["decisions_link"] = f"{base_url.rstrip('/')}/decisions"
        text, html = render("escalation", context)
        link = f"{base_url.rstrip('/')}/dashboard"
        subject = _escalation_subject(len(items) + len(waiting))
        rows.append(
            email_row(director, "escalation", month_period(today), subject, text, html, link)
        )
    return queue_emails(session, rows, now)


def unplanned_items(
    unplanned: Iterable[UnplannedAction],
    components: set[int],
    names: dict[int, str],
    base_url: str,
) -> list[dict[str, object]]:
    """The open actions in these components that nobody owns or that have no milestones, each
    with what it is waiting for, for a director's escalation."""
    items: list[dict[str, object]] = []
    for action in unplanned:
        if action.component_id not in components:
            continue
        missing = []
        if action.owner_id is None:
            missing.append("no owner")
        if not action.has_milestones:
            missing.append("no milestones")
        items.append(
            {
                "title": action.title,
                "component": action.component_name,
                "owner": names.get(action.owner_id, "") if action.owner_id is not None else "",
                "missing": " and ".join(missing),
                "link": action.link(base_url),
            }
        )
    return items


def _escalation_subject(count: int) -> str:
    return f"{count} action{'s' if count != 1 else ''} in your domains may need support"


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
