"""`flask users create`: password from stdin, never echoed; weak or duplicate input refused."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.domain.accounts.registration import password_matches
from tracker.models import AuditEvent, User

GOOD = "correct horse battery staple"


def create(app, email="Ann.Lead@Example.NHS.uk", password=GOOD, role="director", name="Ann Lead"):
    return app.test_cli_runner().invoke(
        args=["users", "create", email, "--name", name, "--role", role], input=password + "\n"
    )


def test_creates_a_user_with_a_hashed_password_and_lower_case_email(app, session):
    result = create(app)
    assert result.exit_code == 0, result.output
    assert "Created director ann.lead@example.nhs.uk" in result.output
    assert GOOD not in result.output
    user = session.scalar(select(User))
    assert user.email == "ann.lead@example.nhs.uk"
    assert user.password_hash and GOOD not in user.password_hash
    assert password_matches(user, GOOD)
    assert session.scalar(select(AuditEvent.verb)) == "created"


def test_duplicate_email_ignoring_case_is_refused(app, session):
    assert create(app).exit_code == 0
    again = create(app, email="ANN.LEAD@example.nhs.uk")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_weak_passwords_are_refused_and_nothing_is_written(app, session):
    for weak, message in [
        ("short", "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("ann.lead-rocks-2026", "must not contain your name"),
    ]:
        result = create(app, password=weak)
        assert result.exit_code == 1
        assert message in result.output
        assert weak not in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_bad_email_and_role_are_refused(app, session):
    bad_email = create(app, email="not-an-email")
    assert bad_email.exit_code == 1
    assert "correct format" in bad_email.output
    bad_role = create(app, role="superuser")
    assert bad_role.exit_code == 2
    assert session.scalar(select(func.count()).select_from(User)) == 0
