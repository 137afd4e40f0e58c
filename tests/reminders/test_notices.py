"""Preferences, weekly digests, pre-round notices, the evidence check, readiness recompute,
and query counts that do not grow with the number of owners."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from tests.support.factories import make_action, make_milestone, make_round
from tests.support.helpers import NOW, table_counts
from tests.support.queries import count_queries
from tests.support.reminders import AS_OF, post_form
from tracker.domain.reminders.pre_round import pre_round_kind
from tracker.domain.reminders.sweeps import queue_digests, queue_escalations
from tracker.mailing.rendering import EMAIL_TEMPLATES, EmailRenderer
from tracker.models import Action, AuditEvent, Evidence, Notification, ReadinessSnapshot


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_an_owner_chooses_weekly_digests_and_gets_this_weeks(
    app, session, org, client, sign_in, smtp
):
    sign_in(org.late_owner)
    page = client.get("/account/preferences").get_data(as_text=True)
    assert "Monthly, on the first weekday of the month" in page
    response = post_form(
        client, "/account/preferences", "/account/preferences", {"digest_frequency": "weekly"}
    )
    assert response.status_code == 302
    session.refresh(org.late_owner)
    assert org.late_owner.digest_frequency == "weekly"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.verb == "digest_frequency")).one()
    assert audit.after == {"digest_frequency": "weekly"}
    run(app, "reminders", "send", "--as-of", AS_OF.isoformat())
    periods = dict(
        session.execute(
            select(Notification.to_address, Notification.period).where(
                Notification.kind == "digest"
            )
        ).all()
    )
    assert periods == {org.late_owner.email: "2026-W49", org.busy_owner.email: "2026-12"}
    # the weekly job a week later sends weekly owners (only) their next digest
    run(app, "jobs", "run", "weekly-digest", "--as-of", (AS_OF + timedelta(days=7)).isoformat())
    assert len(smtp.collector.to(org.late_owner.email)) == 2
    assert len(smtp.collector.to(org.busy_owner.email)) == 1


def test_a_bad_preference_is_refused_with_a_message_and_nothing_changes(
    session, org, client, sign_in
):
    sign_in(org.late_owner)
    before = table_counts(session)
    response = post_form(
        client, "/account/preferences", "/account/preferences", {"digest_frequency": "never"}
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(
        as_text=True
    ) or "Select how often" in response.get_data(as_text=True)
    assert table_counts(session) == before
    session.refresh(org.late_owner)
    assert org.late_owner.digest_frequency == "monthly"


def test_preferences_need_signing_in(client):
    response = client.get("/account/preferences")
    assert response.status_code in (302, 401)


def test_an_owner_who_ignored_two_digests_is_raised_with_their_director(app, session, org, smtp):
    # the busy owner has nothing overdue; two sent digests with no update since then count
    for month in ("2026-10", "2026-11"):
        session.add(
            Notification(
                recipient_id=org.busy_owner.id,
                kind="digest",
                period=month,
                to_address=org.busy_owner.email,
                subject="s",
                body_text="t",
                body_html="h",
                status="sent",
                attempts=1,
                next_attempt_at=NOW,
                message_id=f"<{month}@test>",
                created_at=NOW,
                sent_at=datetime.now(UTC) + timedelta(seconds=1 if month == "2026-10" else 2),
            )
        )
    session.commit()
    run(app, "reminders", "send", "--as-of", AS_OF.isoformat())
    [note] = smtp.collector.to(org.calm_director.email)
    text = note.get_body(("plain",)).get_content()
    assert "Train the managers" in text and "no progress update since the last 2 reminders" in text


def test_pre_round_notice_goes_to_directors_and_admins_once_per_window(
    app, session, framework, make_user, smtp
):
    director = make_user("director")
    admin = make_user("admin")
    owner = make_user("owner")
    baseline = make_round(session, next_round_on=AS_OF + timedelta(days=30))
    action = make_action(session, baseline, 1, owner=owner)
    make_milestone(session, action, AS_OF + timedelta(days=10))
    session.commit()
    assert (pre_round_kind(61), pre_round_kind(60), pre_round_kind(30), pre_round_kind(7)) == (
        None,
        "pre_round_60",
        "pre_round_30",
        "pre_round_7",
    )
    output = run(app, "jobs", "run", "pre-round", "--as-of", AS_OF.isoformat())
    assert "queued 2" in output
    assert sorted(m["To"] for m in smtp.collector.messages) == sorted([director.email, admin.email])
    text = smtp.collector.messages[0].get_body(("plain",)).get_content()
    assert "The next self-assessment is on 31 December 2026, in 30 days" in text
    assert "Building a shared purpose and vision" in text
    # the next day is the same window: nothing new; 23 days later the 7-day notice goes
    assert "queued 0" in run(
        app, "jobs", "run", "pre-round", "--as-of", (AS_OF + timedelta(days=1)).isoformat()
    )
    run(app, "jobs", "run", "pre-round", "--as-of", (AS_OF + timedelta(days=23)).isoformat())
    kinds = sorted(
        session.scalars(select(Notification.kind).where(Notification.recipient_id == admin.id))
    )
    assert kinds == ["pre_round_30", "pre_round_7"]


def test_integrity_check_reports_missing_and_changed_files_once_a_day(app, session, org, smtp):
    upload = Path(app.config["UPLOAD_DIR"])
    upload.mkdir(parents=True, exist_ok=True)
    target = session.scalars(select(Action).order_by(Action.id)).first()
    files = {}
    for name, content in (("a" * 32, b"good"), ("b" * 32, b"original"), ("c" * 32, b"gone")):
        files[name] = content
        (upload / name).write_bytes(content)
        session.add(
            Evidence(
                action=target,
                kind="file",
                title=f"file {name[0]}",
                original_filename=f"{name[0]}.txt",
                stored_name=name,
                sha256=hashlib.sha256(content).hexdigest(),
                size_bytes=len(content),
                content_type="text/plain",
                uploaded_by=org.late_owner,
            )
        )
    session.commit()
    assert "problems 0" in run(app, "jobs", "run", "integrity", "--as-of", AS_OF.isoformat())
    assert smtp.collector.messages == []
    (upload / ("b" * 32)).write_bytes(b"tampered")
    (upload / ("c" * 32)).unlink()
    output = run(
        app, "jobs", "run", "integrity", "--as-of", (AS_OF + timedelta(days=1)).isoformat()
    )
    assert "problems 2" in output
    [report] = smtp.collector.messages
    assert report["To"] == org.admin.email
    text = report.get_body(("plain",)).get_content()
    assert '"b.txt": the file\'s contents no longer match what was uploaded' in text
    assert '"c.txt": the file is missing' in text
    assert "a.txt" not in text
    run(app, "jobs", "run", "integrity", "--as-of", (AS_OF + timedelta(days=1)).isoformat())
    assert len(smtp.collector.messages) == 1
    for name in files:
        (upload / name).unlink(missing_ok=True)


def test_nightly_readiness_recompute_stores_snapshots(app, session, org):
    output = run(app, "jobs", "run", "readiness", "--as-of", AS_OF.isoformat())
    assert session.scalar(select(func.count()).select_from(ReadinessSnapshot)) > 0
    assert "snapshots" in output


def test_sweep_queries_do_not_grow_with_the_number_of_owners(session, framework, make_user):
    baseline = make_round(session)
    render = EmailRenderer(EMAIL_TEMPLATES)
    director = make_user("director")
    from tests.support.factories import make_lead

    make_lead(session, director, 1)

    def add_owners(n: int) -> None:
        for _ in range(n):
            owner = make_user("owner")
            action = make_action(session, baseline, 1, owner=owner)
            make_milestone(session, action, date(2026, 10, 1))
        session.commit()

    def sweep(day: date) -> None:
        kwargs = {"today": day, "now": NOW, "base_url": "https://t", "render": render}
        queue_digests(session, **kwargs)
        queue_escalations(session, **kwargs)
        session.commit()

    add_owners(2)
    with count_queries() as few:
        sweep(date(2027, 1, 4))
    add_owners(30)
    with count_queries() as many:
        sweep(date(2027, 2, 1))
    assert len(few) == len(many)
    assert (
        session.scalar(
            select(func.count()).select_from(Notification).where(Notification.period == "2027-02")
        )
        == 33
    )


def test_an_owner_turns_off_emails_about_closed_actions(session, org, client, sign_in):
    sign_in(org.late_owner)
    page = client.get("/account/preferences").get_data(as_text=True)
    assert "When an action I own is completed or cancelled" in page
    response = post_form(
        client, "/account/preferences", "/account/preferences", {"digest_frequency": "monthly"}
    )
    assert response.status_code == 302
    session.refresh(org.late_owner)
    assert org.late_owner.email_action_closed is False
    audit = session.scalars(select(AuditEvent).where(AuditEvent.verb == "email_preferences")).one()
    assert audit.after["email_action_closed"] is False
    post_form(
        client,
        "/account/preferences",
        "/account/preferences",
        {"digest_frequency": "monthly", "email_action_closed": "y"},
    )
    session.refresh(org.late_owner)
    assert org.late_owner.email_action_closed is True
