"""The audit trail in plain words: every verb the code records has words, and the events of a
busy organisation read without ids, enum values, `None` or dict reprs."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tests.support.helpers import TODAY
from tracker import clock
from tracker.domain.accounts import administration
from tracker.domain.actions import lifecycle
from tracker.domain.audit.wording import (
    ENTITIES,
    VERBS,
    describe_events,
    detail_lines,
    file_size,
)
from tracker.domain.demo.organisation import load_demo
from tracker.domain.permissions import actor_for
from tracker.domain.readiness.history import record_outcome
from tracker.domain.rounds.editing import update_round
from tracker.models import Action, AssessmentRound, AuditEvent, User

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
# Words a person never reads: snake_case values, ids, Python's None and dict or list reprs.
RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b|[{}\[\]]|\b(?:id|Id|ID)\b|\b\w+ \d+:")


def recorded_verbs() -> set[tuple[str, str]]:
    """(entity, verb) of every audit.record(...) call in the code whose words are literal."""
    found = set()
    for path in TRACKER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or len(node.args) < 5:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            entity, verb = node.args[2], node.args[4]
            if name != "record" or not isinstance(entity, ast.Constant):
                continue
            for part in ast.walk(verb):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.add((entity.value, part.value))
    return found


def test_every_verb_and_entity_the_code_records_has_words() -> None:
    recorded = recorded_verbs()
    assert len(recorded) > 20
    missing = {(e, v) for e, v in recorded if v not in VERBS or e not in ENTITIES}
    assert not missing, (
        f"Give these audit events words in tracker/domain/audit/wording.py: {missing}"
    )


def test_details_say_what_changed_in_words() -> None:
    names = {7: "Priya Shah"}
    lines = detail_lines(
        {"status": "in_progress", "owner_id": None, "due_on": None},
        {"status": "review", "owner_id": 7, "due_on": "2027-03-03", "size_bytes": 28},
        names,
    )
    assert lines == (
        "Status changed from In progress to Review",
        "Owner changed from no one to Priya Shah",
        "Due date changed from not set to 3 March 2027",
        "Size: 28 B",
    )
    assert detail_lines({"levels": {"Starting": 14}}, None, {}) == ("Levels was Starting 14",)
    assert [file_size(n) for n in (0, 1023, 1024, 1536, 5 * 1024 * 1024)] == [
        "0 B", "1023 B", "1.0 KB", "1.5 KB", "5.0 MB",
    ]  # fmt: skip


def test_a_busy_organisations_trail_reads_as_plain_words(app, session, monkeypatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    load_demo(session, TODAY)
    now = clock.now()
    admin = session.scalars(select(User).where(User.role == "admin")).first()
    owner = session.scalars(select(User).where(User.role == "owner")).first()
    assert admin is not None and owner is not None
    administration.change_role(session, admin, owner, "viewer", now=now)
    administration.deactivate(session, admin, owner, now=now)
    administration.reactivate(session, admin, owner, now=now)
    action = session.scalars(select(Action).order_by(Action.id)).first()
    assert action is not None
    actor = actor_for(session, admin)
    lifecycle.apply(session, actor, action, "propose_done", now=now, note="Done")
    record_outcome(session, admin, action, "carried_forward", now=now)
    lifecycle.apply(session, actor, action, "sign_off", now=now, outcome="partly_effective")
    lifecycle.apply(session, actor, action, "reopen", now=now, note="More to do")
    lifecycle.apply(session, actor, action, "cancel", now=now, note="Superseded")
    round_ = session.scalars(select(AssessmentRound)).first()
    assert round_ is not None
    update_round(
        session, admin, round_, name=round_.name + " (edited)", held_on=round_.held_on,
        next_round_on=round_.held_on + timedelta(days=200), now=now,
    )  # fmt: skip
    session.flush()

    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    described = describe_events(session, events)
    assert len(described) == len(events) > 30
    verbs = {event.verb for event in events}
    assert {
        "role_changed",
        "signed_off",
        "cancelled",
        "record_outcome",
        "updated",
        "created",
    } <= verbs
    for words in described:
        text = " ".join([words.who, words.what, words.about, *words.details])
        assert not RAW.search(text), text
