"""Exactly once: runs in two processes at once, SMTP down then back, failures shown to admins."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from tests.support.helpers import ROOT, table_counts
from tests.support.reminders import AS_OF, SMTPServer, free_port, post_form, subprocess_env
from tracker import clock
from tracker.domain.outbox.queue import enqueue_many
from tracker.mailing.sender import deliver_outbox
from tracker.models import Notification

FLASK = [sys.executable, "-m", "flask"]


def run_cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_two_processes_at_once_send_each_email_once(database_url, org, smtp):
    env = subprocess_env(database_url, smtp.port)
    command = [*FLASK, "reminders", "send", "--as-of", AS_OF.isoformat()]
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert smtp.collector.kinds() == sorted(
        [
            (org.late_owner.email, "digest"),
            (org.busy_owner.email, "digest"),
            (org.director.email, "escalation"),
        ]
    )
    lines = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
    first = "queued 3, sent 3, already sent 0, failed 0"
    assert lines in (
        sorted([first, "queued 0, sent 0, already sent 3, failed 0"]),
        sorted([first, "reminders: another process is running this job; nothing done"]),
    )


SENDER = """
from tracker import create_app
from tracker.mailing.sender import deliver_outbox
app = create_app()
with app.app_context():
    print(deliver_outbox(None).sent)
"""


def test_two_senders_at_once_never_send_a_row_twice(database_url, session, org, smtp):
    rows = [
        {
            "recipient_id": org.admin.id,
            "to_address": org.admin.email,
            "kind": "test",
            "period": f"p{n}",
            "subject": f"Message {n}",
            "body_text": "text",
            "body_html": "<p>html</p>",
        }
        for n in range(60)
    ]
    assert enqueue_many(session, rows, now=clock.now() - timedelta(minutes=1)) == 60
    session.commit()
    env = subprocess_env(database_url, smtp.port)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SENDER],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sum(int(out.strip().splitlines()[-1]) for out, _ in outputs) == 60
    subjects = sorted(m["Subject"] for m in smtp.collector.messages)
    assert subjects == sorted(f"Message {n}" for n in range(60))


def test_smtp_down_loses_nothing_and_a_later_run_delivers_each_once(app, session, org, monkeypatch):
    server = SMTPServer()  # not started yet: nothing listens on its port
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        first = run_cli(app, "reminders", "send", "--as-of", AS_OF.isoformat())
        assert first == "queued 3, sent 0, already sent 0, failed 3 (3 will be retried)"
        rows = session.scalars(select(Notification)).all()
        assert [(r.status, r.attempts) for r in rows] == [("pending", 1)] * 3
        assert all("Connection refused" in r.last_error or "Errno" in r.last_error for r in rows)
        server.start()
        later = clock.now() + timedelta(hours=1)
        monkeypatch.setattr(clock, "now", lambda: later)
        second = run_cli(app, "reminders", "send", "--as-of", AS_OF.isoformat())
        assert second == "queued 0, sent 3, already sent 3, failed 0"
        third = run_cli(app, "reminders", "send", "--as-of", AS_OF.isoformat())
        assert third == "queued 0, sent 0, already sent 3, failed 0"
        assert len(server.collector.messages) == 3
        assert len({m["Message-ID"] for m in server.collector.messages}) == 3
    finally:
        server.stop()
        app.config.update(MAIL_SERVER=saved[0], MAIL_PORT=saved[1])


def test_after_max_attempts_the_row_is_failed_shown_to_admins_and_can_be_retried(
    app, session, org, client, sign_in
):
    port = free_port()
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        run_cli(app, "reminders", "send", "--as-of", AS_OF.isoformat())
        now = clock.now()
        for _ in range(app.config["MAIL_MAX_ATTEMPTS"] - 1):
            now += timedelta(days=1)
            deliver_outbox(None, now=now)
        rows = session.scalars(select(Notification)).all()
        assert {(r.status, r.attempts) for r in rows} == {
            ("failed", app.config["MAIL_MAX_ATTEMPTS"])
        }

        admin_client = sign_in(org.admin)
        page = admin_client.get("/admin/notifications").get_data(as_text=True)
        assert "Failed emails (3)" in page
        assert org.late_owner.email in page
        assert "Connection refused" in page or "Errno" in page

        before = table_counts(session)
        refused = admin_client.post("/admin/notifications/retry-failed", data={})
        assert refused.status_code == 400
        assert table_counts(session) == before

        server = SMTPServer(port).start()
        try:
            response = post_form(
                admin_client, "/admin/notifications", "/admin/notifications/retry-failed"
            )
            assert response.status_code == 302
            assert server.collector.messages == []  # the web only re-queues...
            assert deliver_outbox(None).sent == 3  # ...and the sender process sends
            assert len(server.collector.messages) == 3
        finally:
            server.stop()
        session.expire_all()
        assert {r.status for r in session.scalars(select(Notification))} == {"sent"}
        assert "No failed emails." in admin_client.get("/admin/notifications").get_data(
            as_text=True
        )
    finally:
        app.config.update(MAIL_SERVER=saved[0], MAIL_PORT=saved[1])


def test_only_admins_see_the_outbox_page(client, org, sign_in):
    sign_in(org.director)
    assert client.get("/admin/notifications").status_code == 403
    assert client.post("/admin/notifications/retry-failed").status_code in (400, 403)


def test_retrying_an_unknown_or_unfailed_row_changes_nothing(session, org, client, sign_in):
    sign_in(org.admin)
    before = table_counts(session)
    response = post_form(client, "/admin/notifications", "/admin/notifications/999/retry")
    assert response.status_code == 404
    assert table_counts(session) == before
