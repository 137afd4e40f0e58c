"""The main journeys in real Chromium, every page scanned by axe (see conftest.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.e2e.journey import Journey
from tests.support import factories
from tests.support.helpers import SAMPLE

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(session, framework, make_user):
    """A round with one action in component 1, a director leading it, an owner and a viewer."""
    people = {
        "admin": make_user("admin"),
        "director": make_user("director", name="Dee Director"),
        "owner": make_user("owner", name="Olu Owner"),
        "viewer": make_user("viewer", name="Vic Viewer"),
    }
    factories.make_lead(session, people["director"], 1)
    assessment_round = factories.make_round(session)
    action = factories.make_action(
        session, assessment_round, 1, title="Agree the shared vision", lead=people["director"]
    )
    session.commit()
    return {**people, "round": assessment_round, "action": action}


def flash(journey: Journey) -> str:
    """The message of the last save: the success banner of the action page's section the save
    came from (which has the focus), or the message at the top of any other page."""
    banner = journey.page.locator(".nhsuk-notification-banner--success")
    if banner.count():
        focused = journey.page.evaluate("document.activeElement.id")
        assert focused == banner.first.get_attribute("id"), focused
        return banner.first.inner_text()
    return journey.page.locator(".nhsuk-inset-text").first.inner_text()


def fill_date(journey: Journey, field_id: str, day: int, month: int, year: int) -> None:
    """Type a date into an NHS.UK date input's day, month and year boxes."""
    for part, value in (("day", day), ("month", month), ("year", year)):
        journey.page.locator(f"#{field_id}-{part}").fill(str(value))


def test_admin_imports_the_sample(journey: Journey, session, framework, make_user) -> None:
    admin = make_user("admin")
    journey.sign_in(admin.email)
    journey.click(journey.page.get_by_role("link", name="Admin", exact=True))
    journey.goto("/admin/imports")
    page = journey.page
    # The NHS.UK file upload script wraps the input in a drop zone button.
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    page.get_by_label("Round name").fill("Baseline 2026")
    fill_date(journey, "held_on", 1, 5, 2026)
    fill_date(journey, "next_round_on", 1, 5, 2027)
    journey.click(page.get_by_role("button", name="Import round"))
    assert "22" in flash(journey), flash(journey)
    journey.click(page.get_by_role("link", name="Domains", exact=True))
    assert page.get_by_role("link", name="Building a shared purpose and vision").count() >= 1


def test_director_assigns_an_action_and_adds_milestones(journey: Journey, team) -> None:
    page = journey.page
    journey.sign_in(team["director"].email)
    journey.click(page.get_by_role("link", name="Domains", exact=True))
    journey.click(page.get_by_role("link", name="Building a shared purpose and vision").first)
    journey.click(page.get_by_role("link", name="Agree the shared vision").first)
    owner = page.get_by_label("Owner", exact=True)
    owner.select_option(owner.locator("option", has_text="Olu Owner").get_attribute("value"))
    fill_date(journey, "assign-due_on", 31, 3, 2027)
    journey.click(page.get_by_role("button", name="Save assignment"))
    assert "Assignment saved" in flash(journey)
    for title, day, month in (("Draft the vision", 15, 1), ("Board signs it off", 28, 2)):
        page.get_by_label("Milestone", exact=True).fill(title)
        fill_date(journey, "milestone-due_on", day, month, 2027)
        journey.click(page.get_by_role("button", name="Add milestone"))
        assert "Milestone added" in flash(journey)
    assert page.url.endswith("#milestones")
    rows = page.locator("#milestones table tbody tr")
    assert rows.count() == 2
    assert "Olu Owner" in page.locator(".nhsuk-summary-list").inner_text()


def _owned(session, team):
    action = team["action"]
    action.owner = team["owner"]
    factories.make_milestone(session, action, date(2027, 1, 31), title="Draft the vision")
    session.commit()
    return action


def test_owner_updates_progress_ticks_a_milestone_and_uploads_evidence(
    journey: Journey, session, team, tmp_path
) -> None:
    _owned(session, team)
    page = journey.page
    journey.sign_in(team["owner"].email)
    journey.click(page.get_by_role("link", name="My actions", exact=True))
    journey.click(page.get_by_role("link", name="Agree the shared vision").first)
    page.get_by_label("Estimated percentage done").fill("40")
    page.get_by_label("How is it going?").fill("Workshops booked with every directorate.")
    journey.click(page.get_by_role("button", name="Save progress update"))
    assert "Progress update saved" in flash(journey)
    journey.click(page.get_by_role("button", name=re.compile("^Mark as done")))
    assert "Milestone marked as done" in flash(journey)
    journey.click(page.get_by_role("link", name=re.compile("Add evidence")).first)
    evidence = tmp_path / "workshop-notes.txt"
    evidence.write_text("Notes from the vision workshops.\n")
    page.locator("#file-form + form input[type=file]").set_input_files(str(evidence))
    page.locator("#file-form + form").get_by_label("Title (optional)").fill("Workshop notes")
    journey.click(page.get_by_role("button", name="Upload file"))
    assert "Evidence added" in flash(journey)
    assert "Workshop notes" in page.locator("#evidence table").inner_text()


def test_director_accepts_evidence(journey: Journey, session, team) -> None:
    action = _owned(session, team)
    factories.make_note_evidence(session, action, team["owner"], title="Board minutes")
    session.commit()
    page = journey.page
    journey.sign_in(team["director"].email)
    journey.goto(f"/actions/{action.id}")
    journey.click(page.get_by_role("link", name=re.compile("^Review")).first)
    page.get_by_label("Accept").check()
    journey.click(page.get_by_role("button", name="Save decision"))
    assert "Evidence accepted" in flash(journey)
    assert "Accepted" in page.locator("#evidence table").inner_text()


def test_viewer_opens_readiness_and_downloads_the_board_report(
    journey: Journey, session, team
) -> None:
    page = journey.page
    journey.sign_in(team["viewer"].email)
    journey.click(page.get_by_role("link", name="Readiness", exact=True))
    assert journey.heading() == "Readiness for the next round"
    assert page.get_by_role("columnheader", name="Chance of reaching target").is_visible()
    assert "Likely range of the overall mean level" in page.locator("#overall-range").inner_text()
    journey.click(page.get_by_role("link", name="Board report", exact=True))
    journey.goto("/readiness")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Board report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_wrong_password_and_a_forbidden_page(journey: Journey, team) -> None:
    page = journey.page
    journey.sign_in(team["owner"].email, "not-the-password-at-all")
    assert page.get_by_role("alert").count() or page.locator(".nhsuk-error-summary").count()
    assert "Enter a correct email address and password" in page.content()
    assert journey.heading() == "Sign in"
    journey.sign_in(team["owner"].email)
    response = journey.goto("/admin")
    assert response.status == 403
    assert journey.heading() == "You do not have access to this page"


def test_owner_journey_with_the_keyboard_only(journey: Journey, session, team) -> None:
    """Tab, Enter, Space and typing only: no clicks."""
    _owned(session, team)
    page = journey.page
    keys = page.keyboard
    journey.goto("/sign-in")
    journey.tab_to("Email address")
    keys.type(team["owner"].email)
    journey.tab_to("Password")
    keys.type("a-long-test-passphrase")
    journey.tab_to("Sign in")
    journey.press("Enter")
    journey.tab_to("My actions")
    journey.press("Enter")
    journey.tab_to("Agree the shared vision")
    journey.press("Enter")
    assert journey.heading() == "Agree the shared vision"
    journey.tab_to("Estimated percentage done")
    keys.type("60")
    journey.tab_to("How is it going?")
    keys.type("Done with the keyboard alone.")
    journey.tab_to("Save progress update")
    journey.press("Enter")
    assert "Progress update saved" in flash(journey)
    journey.tab_to("Mark as done")
    journey.press("Space")
    assert "Milestone marked as done" in flash(journey)
    assert "60% done" in page.locator("#progress .nhsuk-inset-text").first.inner_text()
