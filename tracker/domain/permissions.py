"""Who may do what: the one policy module (deny by default).

admin     everything
director  reads everything; assigns, plans, reviews evidence and decides on actions (sign off,
          cancel, reopen) within the components they lead
owner     sees and updates only the actions they own (progress, milestones, evidence);
          reads dashboards and readiness
viewer    reads dashboards, domains, actions, readiness and reports; changes nothing and
          cannot open evidence files
system viewer   (an ICS improvement lead) reads only the system view: the results its
          system's organisations chose to share; nothing of any organisation's work
platform admin  installation level: creates organisations and their first admin; belongs to
          no organisation and sees none of their people or work

Everybody but a platform admin may read the system view of their organisation's system (it only
ever holds what partners chose to share); sharing a round is an admin's choice.

Every check takes the object, not just the role, so "another owner's action" is refused even
when the role would allow the verb in general.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Action, DomainLead, Evidence, Milestone, Role, User

READ_VERBS = frozenset({"view"})


@dataclass(frozen=True)
class Actor:
    """A signed-in user with the components they lead, looked up once per request."""

    user: User
    led_component_ids: frozenset[int]

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.ADMIN

    @property
    def organisation_id(self) -> int:
        """The actor's organisation (platform admins have none and never reach a page that
        asks: every organisation verb is denied to them)."""
        if self.user.organisation_id is None:
            raise PermissionError("a platform admin belongs to no organisation")
        return self.user.organisation_id


def actor_for(session: Session, user: User) -> Actor:
    """Build the Actor for a user (one query for the components they lead)."""
    led: Iterable[int] = ()
    if user.role == Role.DIRECTOR:
        led = session.scalars(select(DomainLead.component_id).where(DomainLead.user_id == user.id))
    return Actor(user=user, led_component_ids=frozenset(led))


def _component_of(obj: Action | Milestone | Evidence) -> int:
    action = obj if isinstance(obj, Action) else obj.action
    return action.question.component_id


def _action_of(obj: Action | Milestone | Evidence) -> Action:
    return obj if isinstance(obj, Action) else obj.action


def _same_organisation(actor: Actor, obj: object | None) -> bool:
    """Actions (and their milestones and evidence) belong to one organisation's round; nobody,
    not even an admin, acts on another organisation's. Components are shared by every
    organisation, so leading one never reaches across organisations."""
    if not isinstance(obj, Action | Milestone | Evidence):
        return True
    return _action_of(obj).round.organisation_id == actor.user.organisation_id


def can(actor: Actor | None, verb: str, obj: object | None = None) -> bool:
    """True when the actor may do `verb` (to `obj`, when given). Unknown verbs are denied."""
    if actor is None or not actor.user.is_active:
        return False
    if actor.role == Role.PLATFORM_ADMIN:
        return verb in PLATFORM_VERBS
    if verb in PLATFORM_VERBS or not _same_organisation(actor, obj):
        return False
    if actor.role == Role.SYSTEM_VIEWER:
        return verb == "view_system"
    if actor.is_admin:
        return True
    rule = RULES.get(verb)
    return bool(rule and rule(actor, obj))


def _reads(actor: Actor, obj: object | None) -> bool:
    return True


def _leads(actor: Actor, obj: object | None) -> bool:
    """Directors act within the components they lead."""
    if actor.role != Role.DIRECTOR or obj is None:
        return False
    if isinstance(obj, Action | Milestone | Evidence):
        return _component_of(obj) in actor.led_component_ids
    component_id = getattr(obj, "id", None) if type(obj).__name__ == "Component" else None
    return component_id in actor.led_component_ids


def _owns(actor: Actor, obj: object | None) -> bool:
    """Owners (and directors who own an action themselves) update what they own."""
    if not isinstance(obj, Action | Milestone | Evidence) or actor.role == Role.VIEWER:
        return False
    return _action_of(obj).owner_id == actor.user.id


def _views_action(actor: Actor, obj: object | None) -> bool:
    """Directors and viewers read every action; owners only their own."""
    if actor.role in (Role.DIRECTOR, Role.VIEWER):
        return True
    return _owns(actor, obj)


def _owns_or_leads(actor: Actor, obj: object | None) -> bool:
    return _owns(actor, obj) or _leads(actor, obj)


def _any_director(actor: Actor, obj: object | None) -> bool:
    return actor.role == Role.DIRECTOR


# Installation-level verbs: a platform admin's only rights, and nobody else's.
PLATFORM_VERBS = frozenset({"manage_organisations"})

RULES = {
    "view_system": _reads,  # the system view: only what partners chose to share
    "view": _reads,  # dashboards, readiness, reports
    "view_domains": lambda actor, obj: actor.role in (Role.DIRECTOR, Role.VIEWER),
    "view_action": _views_action,  # also its milestones, updates and evidence list
    "view_evidence_file": _owns_or_leads,
    "assign_action": _leads,  # owner, due date, priority, bulk and leaver reassignment
    "plan_action": _leads,  # add or edit milestones and actions in a led component
    "update_action": _owns_or_leads,  # status, progress updates, ticking milestones
    "replan_milestone": _owns_or_leads,
    "add_evidence": _owns_or_leads,
    "review_evidence": _leads,
    "record_outcome": _leads,
    "decide_action": _leads,  # sign off, cancel, reopen, return to work; withdraw milestones
    "reassign_leaver": _any_director,
    "export": lambda actor, obj: actor.role in (Role.DIRECTOR, Role.VIEWER),
    # admin-only verbs have no rule: manage_users, manage_leads, import_round, manage_rounds,
    # view_audit_trail, manage_notifications, edit_framework, share_results
}
