"""Done-when of the organisations work, in real Chromium at desktop width and at 390 px: on the
demo, each organisation's admin sees only their own people and rounds; the ICS lead (a system
viewer) sees the shared results and "Not shared" for the rest, and nothing else."""

from __future__ import annotations

import pytest

from tests.e2e.journey import Journey
from tests.support.helpers import TODAY
from tracker.domain.demo.organisation import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.e2e

ADMINS = {
    "admin@demo.nhs.uk": ("Ada Lovelace", "Victor Board"),
    "aisha.admin@community.demo.nhs.uk": ("Aisha Khan", "Bob Marsh"),
    "kofi.admin@mentalhealth.demo.nhs.uk": ("Kofi Mensah", "Lena Novak"),
}
EVERYBODY = {name for pair in ADMINS.values() for name in pair}


@pytest.fixture
def demo(session):
    load_demo(session, TODAY)
    session.commit()


@pytest.mark.parametrize("width", [1280, 390])
def test_each_admin_sees_only_their_organisation(journey: Journey, demo, width) -> None:
    journey.page.set_viewport_size({"width": width, "height": 900})
    for email, own in ADMINS.items():
        journey.sign_in(email, DEMO_PASSWORD)
        journey.goto("/admin/users")
        people = journey.page.locator("main").inner_text()
        assert all(name in people for name in own), (email, people)
        assert not any(name in people for name in EVERYBODY - set(own)), (email, people)
        journey.goto("/admin/rounds")
        rounds = journey.page.locator("main").inner_text()
        assert ("Re-measurement" in rounds) == email.endswith("community.demo.nhs.uk")
        journey.sign_out()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_ics_lead_sees_only_the_shared_results(journey: Journey, demo, width) -> None:
    journey.page.set_viewport_size({"width": width, "height": 900})
    journey.sign_in("ics.lead@demo.nhs.uk", DEMO_PASSWORD)
    assert journey.page.url.endswith("/system")
    main = journey.page.locator("main").inner_text()
    assert "Demo Community Health NHS Trust" in main and "Not shared" in main
    assert "Developing (2)" in main and "up 0.50" in main
    assert journey.page.locator("svg.app-chart").count() == 1
    response = journey.goto("/dashboard")
    assert response.status == 403
