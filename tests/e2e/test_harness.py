"""The harness itself: pages load from the live server, outside hosts are blocked, axe runs."""

from __future__ import annotations

import pytest

from tests.e2e.journey import AccessibilityError, Journey

pytestmark = pytest.mark.e2e


def test_home_and_sign_in_pages_load_and_pass_axe(journey: Journey) -> None:
    journey.goto("/")
    journey.goto("/sign-in")
    assert journey.heading() == "Sign in"
    assert len(journey.scanned) == 2


def test_requests_to_other_hosts_are_blocked(journey: Journey) -> None:
    from playwright.sync_api import Error

    # A top-level navigation is not subject to the page's CSP, so only the route can stop it.
    with pytest.raises(Error, match="ERR_FAILED"):
        journey.page.goto("https://assets.nhs.uk/")


def test_axe_reports_a_serious_violation_readably(journey: Journey) -> None:
    journey.goto("/sign-in")
    # Break the page on purpose: an image without alt text is a critical violation.
    journey.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')"
    )
    with pytest.raises(AccessibilityError, match="image-alt"):
        journey.check_accessibility()


def test_a_csp_violation_in_the_browser_fails_the_journey(journey: Journey) -> None:
    journey.goto("/sign-in")
    journey.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img alt="" src="/assets/images/favicon.svg" onload="window.x=1">\')'
    )
    journey.page.wait_for_timeout(300)
    assert journey.page.evaluate("window.x") is None  # the inline handler never ran
    with pytest.raises(AssertionError, match="Content Security Policy"):
        journey.check_console()
