"""What every feature's views share about who is asking: the current actor, permission checks,
the dashboard scope of a role, and loading an action the actor may see (or 404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, g
from flask_login import current_user, login_required

from tracker.database import db_session
from tracker.domain.actions import dashboard
from tracker.domain.actions import updates as actions
from tracker.domain.errors import NotFound
from tracker.domain.permissions import Actor, actor_for, can
from tracker.models import Action, Role

F = TypeVar("F", bound=Callable[..., Any])


def current_actor() -> Actor | None:
    """The signed-in user as a policy Actor, built once per request."""
    if not current_user.is_authenticated:
        return None
    user = current_user._get_current_object()
    cached: Actor | None = g.get("actor")
    if cached is None or cached.user.id != user.id:
        cached = g.actor = actor_for(db_session(), user)
    return cached


def require(verb: str, obj: object | None = None) -> Actor:
    """Abort unless the current user may do `verb` to `obj`.

    Objects the user may not even see answer 404, so their existence is not revealed;
    objects they may see but not change answer 403.
    """
    actor = current_actor()
    if actor is None:
        abort(401)
    if not can(actor, verb, obj):
        if obj is not None and not verb.startswith("view") and can(actor, "view_action", obj):
            abort(403)
        abort(404 if obj is not None else 403)
    return actor


def permission_required(verb: str) -> Callable[[F], F]:
    """Decorator for views whose permission does not depend on an object."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(verb)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def scope_for(actor: Actor) -> dashboard.Scope:
    """Owners see their own actions; directors review evidence in the components they lead."""
    user = actor.user
    return dashboard.Scope(
        organisation_id=actor.organisation_id,
        owner_id=user.id if user.role == Role.OWNER else None,
        review_component_ids=actor.led_component_ids if user.role == Role.DIRECTOR else None,
    )


def action_or_404(action_id: int) -> Action:
    """The action with this id, or a 404 page when there is none."""
    try:
        return actions.load_action(db_session(), action_id)
    except NotFound:
        abort(404)
