"""Shared by the permission matrix, security and fuzz tests: a small organisation with one
user per role, sample ids for every URL argument, and signed-in test clients."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.support import factories
from tests.support.helpers import NOW, PASSWORD
from tests.support.signing_in import sign_in
from tracker.domain.accounts.registration import hash_password
from tracker.models import (
    Action,
    AuditEvent,
    Component,
    Evidence,
    Milestone,
    Notification,
    User,
)

# Least privileged first: in a POST check, a refused role must not have changed anything
# before a permitted one runs.
ROLES = (
    "anonymous",
    "viewer",
    "owner_other",
    "director_other",
    "owner_own",
    "director_leading",
    "admin",
)
SKIPPED_ENDPOINTS = frozenset({"static"})


@cache
def cached_password_hash() -> str:
    """Hashing is deliberately slow; every test user shares one hash of PASSWORD."""
    return hash_password(PASSWORD)


@dataclass
class World:
    """One user per role, a round, two actions (one owned by `owner_own` in the component
    `director_leading` leads, one owned by `owner_other` in a component led by
    `director_other`), a milestone, file evidence and a spare user to act upon."""

    users: dict[str, User]
    target_user: User
    component: Component
    action: Action
    other_action: Action
    milestone: Milestone
    evidence: Evidence
    round_id: int
    evidence_bytes: bytes
    lead_id: int
    notification_id: int
    extra: dict[str, Any] = field(default_factory=dict)

    def url_values(self) -> dict[str, Any]:
        """A sample value for every URL argument a route may take."""
        return {
            "action_id": self.action.id,
            "component_id": self.component.id,
            "milestone_id": self.milestone.id,
            "evidence_id": self.evidence.id,
            "user_id": self.target_user.id,
            "round_id": self.round_id,
            "lead_id": self.lead_id,
            "notification_id": self.notification_id,
            "kind": "note",
            "fmt": "csv",
            "filename": "app.css",
            "token": "not-a-real-token",
            **self.extra,
        }


def _user(session: Session, role: str, email: str, name: str) -> User:
    from tracker.domain.accounts.registration import default_organisation

    user = User(
        organisation=default_organisation(session),
        email=email,
        name=name,
        role=role,
        password_hash=cached_password_hash(),
    )
    session.add(user)
    session.flush()
    return user


def build_world(session: Session, upload_dir: str | Path) -> World:
    """Build and commit the sample organisation (needs the `framework` fixture first)."""
    users = {
        "admin": _user(session, "admin", "admin@example.nhs.uk", "Ada Admin"),
        "director_leading": _user(session, "director", "lead@example.nhs.uk", "Dee Lead"),
        "director_other": _user(session, "director", "other.lead@example.nhs.uk", "Dan Other"),
        "owner_own": _user(session, "owner", "owner@example.nhs.uk", "Olu Owner"),
        "owner_other": _user(session, "owner", "other.owner@example.nhs.uk", "Oona Other"),
        "viewer": _user(session, "viewer", "viewer@example.nhs.uk", "Vic Viewer"),
    }
    target = _user(session, "owner", "target@example.nhs.uk", "Tara Target")
    lead = factories.make_lead(session, users["director_leading"], 1)
    factories.make_lead(session, users["director_other"], 2)
    assessment_round = factories.make_round(session)
    action = factories.make_action(
        session, assessment_round, 1, owner=users["owner_own"], lead=users["director_leading"]
    )
    other = factories.make_action(
        session, assessment_round, 5, owner=users["owner_other"], lead=users["director_other"]
    )
    milestone = factories.make_milestone(session, action, date(2027, 1, 31))
    factories.make_milestone(session, other, date(2027, 2, 28))
    data = b"Minutes of the improvement board.\n"
    stored_name = secrets.token_hex(16)
    Path(upload_dir).mkdir(parents=True, exist_ok=True)
    (Path(upload_dir) / stored_name).write_bytes(data)
    evidence = Evidence(
        action=action,
        milestone=milestone,
        kind="file",
        title="Board minutes",
        original_filename="minutes.txt",
        stored_name=stored_name,
        content_type="text/plain",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=users["owner_own"],
        uploaded_at=NOW,
    )
    session.add(evidence)
    notification = Notification(
        recipient=target,
        kind="digest",
        period="2026-11",
        to_address=target.email,
        subject="Your IMPACT actions",
        body_text="Hello",
        body_html="<p>Hello</p>",
        status="failed",
        attempts=5,
        last_error="connection refused",
        message_id="<proof-sample@example.nhs.uk>",
        next_attempt_at=NOW,
    )
    session.add(notification)
    imported = AuditEvent(
        organisation_id=assessment_round.organisation_id, entity="assessment_round",
        entity_id=assessment_round.id, verb="imported", at=NOW,
        after={"scores": 22, "levels": {}, "spawned": 0},
    )  # fmt: skip
    session.add(imported)
    session.commit()
    return World(
        users=users,
        target_user=target,
        component=factories.component(session, 1),
        action=action,
        other_action=other,
        milestone=milestone,
        evidence=evidence,
        round_id=assessment_round.id,
        evidence_bytes=data,
        lead_id=lead.id,
        notification_id=notification.id,
        extra={"event_id": imported.id},
    )


def signed_in_client(app: Flask, user: User | None) -> FlaskClient:
    """A new test client with `user` signed in by writing the session (`sign_in` with
    through_form=False: signing in through the form for every role and route would cost a
    password hash each); anonymous when `user` is None."""
    client = app.test_client()
    if user is not None:
        sign_in(client, user, through_form=False)
    return client


def fetch(client: FlaskClient, method: str, path: str, **kwargs: Any) -> TestResponse:
    """One request in its own application context.

    The suite's autouse fixture keeps an app context pushed for the whole test, and Flask reuses
    it for every request made inside, so `g` (where Flask-Login caches the signed-in user and
    tracker.core.access caches the Actor) would leak from one client's request to another's.
    """
    with client.application.app_context():
        return client.open(path, method=method, **kwargs)


def routes(app: Flask) -> Iterator[Rule]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint not in SKIPPED_ENDPOINTS:
            yield rule


def build_url(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    """The rule's URL with sample values; a missing sample fails with a clear message."""
    missing = [name for name in rule.arguments if name not in values]
    if missing:
        raise AssertionError(
            f"No sample value for URL argument(s) {missing} of {rule.endpoint} ({rule.rule}): "
            "add one to World.url_values in tests/support/proof.py"
        )
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def methods_of(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
