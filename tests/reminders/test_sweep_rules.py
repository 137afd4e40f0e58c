"""The rules the reminder sweeps apply: days without an update counted in UK dates, period
keys across year boundaries, which reminders count as ignored, and the round the next round
date comes from."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.domain.reminders.open_work import OpenAction
from tracker.domain.reminders.sweeps import digest_entries, month_period, week_period


def _action(last_activity: datetime) -> OpenAction:
    return OpenAction(
        id=7, title="Daily huddles", owner_id=1, component_id=1, component_name="C",
        question_number=18, organisation_id=1, last_activity=last_activity,
    )  # fmt: skip


def test_days_without_an_update_are_counted_in_uk_dates() -> None:
    """An update at 00:30 on 2 June (BST) is 23:30 on 1 June in UTC: on 1 July (UK) that is
    29 days, not 30, so the digest must not yet say "no update for 30 days" (the readiness
    page, which counts in UK dates, agrees)."""
    updated = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    [entry] = digest_entries([_action(updated)], date(2026, 7, 1), None, "http://x")
    assert entry["reasons"] == []
    [entry] = digest_entries([_action(updated)], date(2026, 7, 2), None, "http://x")
    assert entry["reasons"] == ["No progress update for 30 days"]


def test_period_keys_across_year_boundaries() -> None:
    assert week_period(date(2026, 12, 31)) == "2026-W53"
    assert week_period(date(2027, 1, 3)) == "2026-W53"
    assert week_period(date(2027, 1, 4)) == "2027-W01"
    assert week_period(date(2024, 12, 30)) == "2025-W01"
    assert month_period(date(2026, 12, 31)) == "2026-12"
    assert month_period(date(2027, 1, 1)) == "2027-01"


def test_reminders_sent_before_an_owner_got_the_action_are_not_ignored_reminders(
    session, framework, make_user
) -> None:
    from sqlalchemy import select

    from tests.support.factories import make_action, make_round
    from tracker.domain.actions.updates import assign
    from tracker.domain.outbox.queue import enqueue
    from tracker.domain.reminders.open_work import digests_sent_since, load_open_actions
    from tracker.domain.reminders.sweeps import escalation_reasons
    from tracker.models import Notification

    admin, owner = make_user("admin"), make_user("owner")
    created = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)
    baseline = make_round(session)
    own = make_action(
        session, baseline, 5, owner=owner, title="Had it all along", created_at=created
    )
    handed = make_action(session, baseline, 1, title="Handed over", created_at=created)
    for sent_at, period in ((datetime(2026, 10, 1, 8, tzinfo=UTC), "2026-10"),
                            (datetime(2026, 11, 2, 8, tzinfo=UTC), "2026-11")):  # fmt: skip
        enqueue(session, owner, kind="digest", period=period, subject="s", body_text="t",
                body_html="<p>h</p>", now=sent_at)  # fmt: skip
    for row in session.scalars(select(Notification)):
        row.status, row.sent_at = "sent", row.created_at
    assign(session, admin, handed, owner=owner, due_on=None, priority="medium",
           now=datetime(2026, 11, 20, 9, tzinfo=UTC))  # fmt: skip
    session.commit()

    actions = load_open_actions(session)
    sent = digests_sent_since(session, {owner.id})[owner.id]
    today = date(2026, 12, 1)
    assert escalation_reasons(actions[own.id], today, sent) == [
        "no progress update since the last 2 reminders"
    ]
    assert escalation_reasons(actions[handed.id], today, sent) == []


def test_next_round_date_comes_from_the_same_latest_round_as_readiness(session, framework) -> None:
    from tests.support.factories import make_round
    from tracker.domain.accounts.registration import default_organisation
    from tracker.domain.readiness.inputs import latest_round
    from tracker.domain.reminders.open_work import next_round_dates

    make_round(session, "Spring", held_on=date(2026, 5, 1), next_round_on=date(2027, 1, 10))
    make_round(session, "Spring again", held_on=date(2026, 5, 1), next_round_on=date(2027, 3, 1))
    session.commit()
    organisation_id = default_organisation(session).id
    chosen = latest_round(session, organisation_id)
    assert chosen is not None and chosen.name == "Spring again"
    assert next_round_dates(session, date(2026, 12, 1)) == {organisation_id: date(2027, 3, 1)}
