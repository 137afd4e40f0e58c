"""Small builders for the board pack tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.support.factories import make_action, make_round
from tests.support.helpers import NOW
from tests.support.readiness import seed_forecast
from tracker.domain.organisations import sharing
from tracker.domain.readiness.model import status_for
from tracker.domain.readiness.report import QuestionReadiness
from tracker.models import MaturityLevel, Organisation, System


def readiness_question(
    *, baseline: int, target: int, actions: tuple[int, ...] = (), expected: float | None = None
) -> QuestionReadiness:
    shown = float(baseline) if expected is None else expected
    return QuestionReadiness(
        question_id=1,
        number=1,
        text="A question",
        component_id=1,
        level_now="",
        target_level="",
        baseline=float(baseline),
        target=float(target),
        expected=shown,
        assured=shown,
        status=status_for(baseline, target, shown),
        action_ids=actions,
    )


def seed_two_rounds(session, make_user):
    """The forecast of tests.support.readiness after an earlier round: question 5 moved up
    (1 to 2), question 7 down (3 to 1); question 5 already meets its action's target."""
    make_round(session, "Baseline 2025", held_on=date(2025, 5, 1), ranks={7: 3})
    rnd, _director, owner, _a1, _a2 = seed_forecast(session, make_user)
    make_action(session, rnd, 5, owner=owner, target_rank=2, title="Keep question 5 up")
    session.commit()
    return rnd, owner


def seed_partners(session, make_user, rnd):
    """Put the organisation in a system with two partners: one shares its round (higher on
    the first questions), one does not; the organisation shares its own round. Returns a
    viewer of the organisation (people are made first: with several organisations the user
    factory would not know which is meant)."""
    from tests.organisations.conftest import build_trust

    admin, viewer = make_user("admin"), make_user("viewer")
    own = session.scalars(select(Organisation)).one()
    system = System(code="QT1", name="Nottingham and Nottinghamshire ICS")
    session.add(system)
    own.system = system
    session.flush()
    sharing_partner = build_trust(session, "RHA", "Nottinghamshire Healthcare", system)
    for score in sharing_partner.round.scores:
        if score.question.number <= 6:
            score.level = _level(session, 3)
    build_trust(session, "RX9", "Sherwood Community Trust", system)
    sharing.share_round(session, sharing_partner.people["admin"], sharing_partner.round_id, now=NOW)
    sharing.share_round(session, admin, rnd.id, now=NOW)
    session.commit()
    return viewer


def _level(session, rank: int) -> MaturityLevel:
    return session.scalars(select(MaturityLevel).where(MaturityLevel.rank == rank)).one()


BOARD_WORDS_FOR_NO_RISE = ("No actions planned", "Target met", "Highest level reached")


def assert_board_agrees(html: str, data: dict, cell) -> None:
    """The board pack's tables show the numbers of `flask readiness show --json` (with level
    names beside them); `cell(html, row_attr, column)` reads one table cell as text."""
    overall = 'data-component="overall"'
    shift = 1 if _has_previous(html) else 0
    for column, key in ((1, "baseline"), (2, "expected"), (3, "target")):
        shown = cell(html, overall, column + shift)
        assert shown.startswith(f"{data['overall'][key]:.2f} "), (key, shown)
    for c in data["components"]:
        attr = f'data-component="{c["position"]}"'
        assert cell(html, attr, 2 + shift).startswith(f"{c['expected']:.2f} ")
    for q in data["questions"]:
        attr = f'data-question="{q["number"]}"'
        assert cell(html, attr, 1).startswith(q["level_now"])
        assert cell(html, attr, 2).startswith(q["target_level"])
        assert cell(html, attr, 3).startswith(f"{q['expected']:.2f} ")
        status = cell(html, attr, 4)
        if q["status"] == "No actions planned":
            assert status in BOARD_WORDS_FOR_NO_RISE
        else:
            assert status == q["status"]
            assert cell(html, attr, 5) == f"{round(q['chance_of_target'] * 100)}%"


def _has_previous(html: str) -> bool:
    head = html.split('id="board-components"')[1].split("</thead>")[0]
    return head.count("<th ") == 7
