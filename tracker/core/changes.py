"""The one way a view changes state: validate the form, make one domain call, commit once,
send any email it queued after the commit, flash, redirect; or roll back and show the domain's
error on the field it names (or above the form), with the page's status code.

    return save_change(
        form,
        lambda: milestones.add_milestone(db_session(), actor.user, action, ...),
        done="Milestone added.",
        then=url_for("actions.show", action_id=action.id),
        failed=lambda status: render_action(action.id, status, milestone_form=form),
    )
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect
from sqlalchemy.orm.exc import StaleDataError

from tracker.core.account_emails import deliver_after_commit
from tracker.database import db_session
from tracker.domain.errors import CONFLICT_MESSAGE, Conflict, DomainError

T = TypeVar("T")
# What a view answers when the change is refused: the page again, with a status code.
Failed = Callable[[int], Any]


def show_error(form: Any, error: DomainError) -> None:
    """Put a domain error on the form field it names, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def flashing_first_error(form: Any, failed: Failed, category: str) -> Failed:
    """`failed`, after flashing the form's first error (or "Try again") in `category`."""

    def answer(status: int) -> Any:
        errors = form.errors
        flash(next(iter(errors.values()))[0] if errors else "Try again", category)
        return failed(status)

    return answer


def save_change(
    form: Any,
    change: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    then: str | Callable[[T], str],
    failed: Failed,
    validate: bool = True,
    sends_email: bool = False,
    undo: Callable[[T], object] | None = None,
    flash_refusal: str | None = None,
) -> Any:
    """Validate, change, commit, (email), flash, redirect; or roll back and answer `failed`.

    - an invalid form answers failed(400) and changes nothing;
    - a Conflict (someone saved first) or a stale version answers failed(409) with the
      conflict message above the form;
    - any other DomainError answers failed(400) with its message on its field.
    `done` and `then` may be functions of the domain call's result (the flash message and the
    address to go to). With `sends_email`, the outbox is sent once the response has gone.
    `undo` is called with the result when the commit fails, after the rollback, to undo what
    the change did outside the database (a stored file). With `flash_refusal`, a refusal also
    flashes the form's first error in that category: for a button posted from a page it does
    not render, whose `failed` goes back there.
    """
    if flash_refusal is not None:
        failed = flashing_first_error(form, failed, flash_refusal)
    if validate and not form.validate_on_submit():
        return failed(400)
    session = db_session()
    try:
        result = change()
        try:
            session.commit()
        except Exception:
            if undo is not None:
                session.rollback()
                undo(result)
            raise
    except (Conflict, StaleDataError):
        session.rollback()
        form.form_errors.append(CONFLICT_MESSAGE)
        return failed(409)
    except DomainError as error:
        session.rollback()
        show_error(form, error)
        return failed(400)
    if sends_email:
        deliver_after_commit()
    message = done(result) if callable(done) else done
    if message:
        flash(message, "success")
    return redirect(then(result) if callable(then) else then)
