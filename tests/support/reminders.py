"""Helpers for the reminder tests: a real SMTP server (aiosmtpd) and a small organisation."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from tests.support.factories import make_action, make_lead, make_milestone, make_round
from tracker.models import ActionStatus, User

AS_OF = date(2026, 12, 1)  # the first of next month (a Tuesday)


def free_port() -> int:
    """A port nothing listens on right now (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def kinds(self) -> list[tuple[str, str]]:
        return sorted((m["To"], m["X-Tracker-Kind"]) for m in self.messages)


class SMTPServer:
    """aiosmtpd on 127.0.0.1 at a free port; start and stop it to simulate an outage."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.collector = Collector()
        self.controller: Controller | None = None

    def start(self) -> SMTPServer:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass
class Organisation:
    late_owner: User  # a milestone 30 days overdue (escalated)
    busy_owner: User  # a milestone due before the next round, nothing overdue
    done_owner: User  # only completed work: no digest
    gone_owner: User  # deactivated: no digest
    director: User  # leads component 1, where the overdue work is
    calm_director: User  # leads component 2: nothing to escalate
    admin: User


def build_organisation(session: Session, make_user) -> Organisation:
    """Owners and directors around one round (next round 1 May 2027), committed."""
    org = Organisation(
        late_owner=make_user("owner", name="Late Owner"),
        busy_owner=make_user("owner", name="Busy Owner"),
        done_owner=make_user("owner", name="Done Owner"),
        gone_owner=make_user("owner", name="Gone Owner"),
        director=make_user("director", name="Dana Director"),
        calm_director=make_user("director", name="Calm Director"),
        admin=make_user("admin", name="Ada Admin"),
    )
    baseline = make_round(session)
    late = make_action(session, baseline, 1, owner=org.late_owner, title="Publish the vision")
    make_milestone(session, late, date(2026, 11, 1), title="Draft the vision")
    busy = make_action(session, baseline, 5, owner=org.busy_owner, title="Train the managers")
    make_milestone(session, busy, date(2027, 2, 1), title="First cohort trained")
    make_action(
        session, baseline, 2, owner=org.done_owner, title="Finished", status=ActionStatus.COMPLETED
    )
    make_action(session, baseline, 3, owner=org.gone_owner, title="Left behind")
    org.gone_owner.is_active = False
    make_lead(session, org.director, 1)
    make_lead(session, org.calm_director, 2)
    session.commit()
    return org


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def post_form(client, page: str, url: str, data: dict[str, str] | None = None):
    """POST to `url` with the CSRF token read from `page`, as a browser would."""
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return client.post(url, data={**(data or {}), "csrf_token": match.group(1)})


def subprocess_env(database_url: str, smtp_port: int) -> dict[str, str]:
    """Environment for running `flask …` in another process against the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_DATABASE", "PYTEST"))}
    env.update(
        TRACKER_ENV="development",
        DATABASE_URL=database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        FLASK_APP="wsgi:app",
    )
    return env
