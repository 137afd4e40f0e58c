"""The core of the improvement loop in real Chromium at desktop width: the admin re-imports a
re-measurement under a variant of its round's name and reads what the import did; the director
signs off the action that reached its target from the decisions page; the action is Completed.
The baseline and a first, mistaken import of the re-measurement are prepared on the server."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.e2e.journey import Journey
from tests.support import factories
from tests.support.helpers import NOW, SAMPLE
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.rounds.importing import import_round
from tracker.models import Action, AssessmentRound, Question

pytestmark = pytest.mark.e2e

Q1 = b"shared purpose and vision  1."
Q7 = b"7. Enabling staff through a coaching style of leadership."


def corrected(data: bytes) -> bytes:
    """The sample with question 1 up to Developing and question 7 down to Starting."""
    lines = data.split(b"\n")
    for start, before, after in ((Q1, b"\tStarting", b"\tDeveloping"),
                                 (Q7, b"\tDeveloping", b"\tStarting")):  # fmt: skip
        [index] = [n for n, line in enumerate(lines) if start in line]
        lines[index] = lines[index].replace(before, after, 1)
    return b"\n".join(lines)


def test_variant_name_reimport_then_sign_off_from_the_decisions_page(
    journey: Journey, session, framework, make_user, tmp_path
) -> None:
    admin = make_user("admin", name="Alex Admin")
    director = make_user("director", name="Dee Director")
    owner = make_user("owner", name="Olu Owner")
    factories.make_lead(session, director, 1)
    organisation = default_organisation(session)
    for name, held_on in (
        ("Baseline 2026", date(2026, 5, 1)),
        ("Re-measure 2027", date(2026, 11, 1)),
    ):
        # The re-measurement first went in with the baseline's scores by mistake.
        import_round(session, None, organisation=organisation, data=SAMPLE.read_bytes(),
                     round_name=name, held_on=held_on, now=NOW, max_bytes=5_000_000)  # fmt: skip
    action = session.scalars(
        select(Action).join(Question).where(Question.number == 1, Action.origin == "spawned")
    ).one()
    action.owner, action.status = owner, "in_progress"
    session.commit()
    file = tmp_path / "re-measure-corrected.txt"
    file.write_bytes(corrected(SAMPLE.read_bytes()))

    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 900})
    journey.sign_in(admin.email)
    journey.goto("/admin/imports")
    page.locator("input[type=file]").set_input_files(str(file))
    page.get_by_label("Round name").fill("re-measure  2027")
    for part, value in (("day", 1), ("month", 11), ("year", 2026)):
        page.locator(f"#held_on-{part}").fill(str(value))
    page.get_by_label("Replace the scores if this round already has different ones").check()
    journey.click(page.get_by_role("button", name="Import round"))
    assert journey.heading() == "What the import of Re-measure 2027 did"
    summary = page.locator("main").inner_text()
    assert "The scores were replaced with 22 scores (16 Starting, 6 Developing)." in summary
    assert "Compared with Baseline 2026: 1 question moved up, 1 moved down and 20 stayed" in summary
    review = page.locator("h2:has-text('Actions moved to review') ~ ul").first
    assert review.locator("li").count() == 1 and action.title in review.inner_text()
    assert page.get_by_role("link", name="Compare Baseline 2026 with Re-measure 2027").count() == 1
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AssessmentRound)) == 2
    journey.sign_out()

    journey.sign_in(director.email)
    journey.goto("/decisions")
    card = page.locator(".nhsuk-card", has=page.get_by_role("link", name=action.title))
    assert page.locator("#actions-in-review ~ .nhsuk-card").count() == 1
    assert "A re-measurement shows its question reached the target" in card.inner_text()
    card.get_by_label("Verified: it did what it set out to do").check()
    journey.click(card.get_by_role("button", name=re.compile("^Sign off as completed")))
    assert "Action signed off as completed" in page.locator(".nhsuk-inset-text").first.inner_text()
    assert "No action is waiting for your sign-off." in page.locator("main").inner_text()
    journey.goto(f"/actions/{action.id}")
    status = page.locator("#status-heading ~ .nhsuk-inset-text").first.inner_text()
    assert status.startswith("Completed (Verified)"), status
