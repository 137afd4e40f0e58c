"""The optional keywords of save_change, for pages whose answers have always differed a little
from the default: each leaves the default behaviour alone unless it is given."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.validators import DataRequired

from tests.support.helpers import NOW
from tracker.core.saving import save_change
from tracker.domain import audit
from tracker.domain.errors import DomainError
from tracker.models import AuditEvent


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(validators=[DataRequired("Enter a name")])
    other = StringField()


class Refused(DomainError):
    """A refusal whose own record is worth keeping."""


@pytest.fixture
def posted(app: Flask) -> Iterator[None]:
    with app.test_request_context("/", method="POST", data={"name": "Ada"}):
        yield


def failed_with(status: int) -> tuple[str, int]:
    return "failed", status


def events(session: Any) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def record_then(session: Any, error: Exception) -> Any:
    def change() -> None:
        audit.record(session, None, "user", None, "tried", at=NOW)
        raise error

    return change


def test_refused_status_is_what_failed_gets(app, session):
    with app.test_request_context("/", method="POST", data={}):
        form = NameForm()
        assert save_change(form, lambda: None, done="", then="/", failed=failed_with) == (
            "failed",
            400,
        )
        answer = save_change(
            NameForm(), lambda: None, done="", then="/", failed=failed_with, refused_status=200
        )
        assert answer == ("failed", 200)


@pytest.mark.parametrize(
    ("field", "error_field", "on_name", "above"),
    [
        (None, None, [], ["No"]),
        (None, "name", ["No"], []),
        ("missing", "name", ["No"], []),
        ("other", "name", [], []),
    ],
)
def test_error_field_takes_errors_that_name_no_field_of_the_form(
    posted, session, field, error_field, on_name, above
):
    form = NameForm()

    def refuse() -> None:
        raise DomainError("No", field)

    answer = save_change(
        form, refuse, done="", then="/", failed=failed_with, error_field=error_field
    )
    assert answer == ("failed", 400)
    assert form.name.errors == on_name and form.form_errors == above
    assert form.other.errors == (["No"] if field == "other" else [])


def test_commit_refused_keeps_only_the_listed_refusals(posted, session):
    before = events(session)
    kept = save_change(
        NameForm(), record_then(session, Refused("No", "name")), done="", then="/",
        failed=failed_with, commit_refused=(Refused,),
    )  # fmt: skip
    assert kept == ("failed", 400)
    session.rollback()
    assert events(session) == before + 1
    save_change(
        NameForm(), record_then(session, DomainError("No")), done="", then="/",
        failed=failed_with, commit_refused=(Refused,),
    )  # fmt: skip
    session.rollback()
    assert events(session) == before + 1


def test_answers_are_given_after_the_rollback_for_the_listed_errors(posted, session):
    before = events(session)
    form = NameForm()
    answer = save_change(
        form, record_then(session, ValueError("database said no")), done="", then="/",
        failed=failed_with, answers={ValueError: lambda error: ("own page", str(error))},
    )  # fmt: skip
    assert answer == ("own page", "database said no")
    assert form.errors == {}
    assert events(session) == before
    with pytest.raises(KeyError):
        save_change(
            NameForm(), record_then(session, KeyError("other")), done="", then="/",
            failed=failed_with, answers={ValueError: lambda error: "own page"},
        )  # fmt: skip
    session.rollback()


def test_after_commit_gets_the_result_once_committed_and_only_then(posted, session):
    steps: list[object] = []

    def change() -> str:
        audit.record(session, None, "user", None, "done", at=NOW)
        steps.append("change")
        return "result"

    def after(result: str) -> None:
        steps.append(("after", result, session().in_transaction()))

    response = save_change(
        NameForm(), change, done=lambda r: f"saved {r}", then="/next", failed=failed_with,
        after_commit=after,
    )  # fmt: skip
    assert response.status_code == 302 and response.location == "/next"
    assert steps == ["change", ("after", "result", False)]
    refused = save_change(
        NameForm(), record_then(session, DomainError("No")), done="", then="/",
        failed=failed_with, after_commit=after,
    )  # fmt: skip
    assert refused == ("failed", 400) and len(steps) == 2
