"""The readiness and comparison pages with questions by name, level names beside figures and
the forecast's provenance: clean for axe, and nothing scrolls sideways on a 390 px phone."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.journey import Journey
from tests.support.factories import make_round
from tests.support.helpers import TODAY
from tests.support.readiness import seed_forecast
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness, store_snapshots

pytestmark = pytest.mark.e2e
SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("width", [390, 1280])
def test_readiness_and_comparison_by_name(
    journey: Journey, app, session, framework, make_user, width
) -> None:
    _, director, *_ = seed_forecast(session, make_user)
    org = default_organisation(session).id
    store_snapshots(session, compute_readiness(session, organisation_id=org, as_of=TODAY), TODAY)
    make_round(
        session, "Re-measure", held_on=date(2027, 6, 14), next_round_on=None, ranks={1: 3, 9: 2}
    )
    session.commit()
    page = journey.page
    page.set_viewport_size({"width": width, "height": 844})
    journey.sign_in(director.email)
    folder = ARTIFACTS / "readiness-names"
    folder.mkdir(parents=True, exist_ok=True)
    for path, must_see in (
        ("/readiness", "1. Board and executives setting the shared purpose and vision."),
        ("/readiness/compare", "2 moved up, 1 moved down and 19 stayed the same"),
    ):
        journey.goto(path)
        assert must_see in page.inner_text("main")
        assert page.evaluate(SIDEWAYS_SCROLL) <= 0, f"{path} scrolls sideways at {width} px"
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
