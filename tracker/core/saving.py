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

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import flash, redirect
from sqlalchemy.orm.exc import StaleDataError

from tracker.database import db_session
from tracker.domain.errors import CONFLICT_MESSAGE, Conflict, DomainError

T = TypeVar("T")
SECTION_SUCCESS = "success#"  # a done message shown in one section of the page, not at the top
# What a view answers when the change is refused: the page again, with a status code.
Failed = Callable[[int], Any]


def in_section(section: str) -> str:
    """The flash category of a done message shown in the page's section with this id (the
    redirect goes to that #section; the page's template shows the message there)."""
    return SECTION_SUCCESS + section


def show_error(form: Any, error: DomainError, *, error_field: str | None = None) -> None:
    """Put a domain error on the form field it names, or above the form when it names none.

    With `error_field`, an error that names no field (or none this form has) goes on that
    field instead of above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if (field is None or not hasattr(field, "errors")) and error_field:
        field = getattr(form, error_field, None)
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
    undo: Callable[[T], object] | None = None,
    flash_refusal: str | None = None,
    refused_status: int = 400,
    error_field: str | None = None,
    commit_refused: tuple[type[DomainError], ...] = (),
    answers: Mapping[type[Exception], Callable[[Any], Any]] | None = None,
    after_commit: Callable[[T], object] | None = None,
    flash_category: str = "success",
) -> Any:
    """Validate, change, commit, (email), flash, redirect; or roll back and answer `failed`.

    - an invalid form answers failed(400) and changes nothing;
    - a Conflict (someone saved first) or a stale version answers failed(409) with the
      conflict message above the form;
    - any other DomainError answers failed(400) with its message on its field.
    `done` and `then` may be functions of the domain call's result (the flash message and the
    address to go to; an empty message flashes nothing). Email a change queued in the outbox
    is never sent from here: the sender process (`flask scheduler run`) sends it.

    The optional rest, for pages whose answers have always differed a little:
    - `undo`: called with the result when the commit fails, after the rollback, to undo what
      the change did outside the database (a stored file);
    - `flash_refusal`: a refusal also flashes the form's first error in that category (for a
      button posted from a page it does not render, whose `failed` goes back there);
    - `refused_status`: the status failed gets for an invalid form or a refusal (pages that
      have always shown their errors with 200 pass 200); a conflict stays 409;
    - `error_field`: the field a refusal that names none is shown on (default: above the form);
    - `commit_refused`: refusals that are themselves a record to keep (a failed sign-in's
      counts and audit event), so they are committed rather than rolled back;
    - `answers`: errors the page answers itself after the rollback, instead of on the form:
      the error's class -> a function of the error giving the response (a spent link's own
      page, an import's list of problems, a database refusal);
    - `after_commit`: called with the result once committed, before the email, flash and
      redirect (e.g. signing the user in);
    - `flash_category`: the done message's category; "success#<section>" shows it in that
      section of a page made of sections (the action page), where the redirect lands.
    """
    if flash_refusal is not None:
        failed = flashing_first_error(form, failed, flash_refusal)
    if validate and not form.validate_on_submit():
        return failed(refused_status)
    session = db_session()
    answered = tuple(answers or {})
    try:
        result = change()
        try:
            session.commit()
        except Exception:
            if undo is not None:
                session.rollback()
                undo(result)
            raise
    except answered as error:
        session.rollback()
        return _answer(answers or {}, error)
    except (Conflict, StaleDataError):
        session.rollback()
        form.form_errors.append(CONFLICT_MESSAGE)
        return failed(409)
    except DomainError as error:
        if isinstance(error, commit_refused):
            session.commit()
        else:
            session.rollback()
        show_error(form, error, error_field=error_field)
        return failed(refused_status)
    if after_commit is not None:
        after_commit(result)
    message = done(result) if callable(done) else done
    if message:
        flash(message, flash_category)
    return redirect(then(result) if callable(then) else then)


def _answer(answers: Mapping[type[Exception], Callable[[Any], Any]], error: Exception) -> Any:
    """The page's own answer to `error`: the first listed class it is an instance of."""
    for kind, answer in answers.items():
        if isinstance(error, kind):
            return answer(error)
    raise error  # not reached: only listed errors are caught
