"""Defects found in review of the reminder sweeps."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.domain.reminder_data import OpenAction
from tracker.domain.reminders import digest_sections, month_period, week_period


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
    sections = digest_sections([_action(updated)], date(2026, 7, 1), None, "http://x")
    assert sections["no_recent_update"] == []
    sections = digest_sections([_action(updated)], date(2026, 7, 2), None, "http://x")
    assert [line["days"] for line in sections["no_recent_update"]] == [30]


def test_period_keys_across_year_boundaries() -> None:
    assert week_period(date(2026, 12, 31)) == "2026-W53"
    assert week_period(date(2027, 1, 3)) == "2026-W53"
    assert week_period(date(2027, 1, 4)) == "2027-W01"
    assert week_period(date(2024, 12, 30)) == "2025-W01"
    assert month_period(date(2026, 12, 31)) == "2026-12"
    assert month_period(date(2027, 1, 1)) == "2027-01"
