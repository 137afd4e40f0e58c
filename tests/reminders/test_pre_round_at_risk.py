"""The pre-round readiness summary lists the most at-risk actions, not thousands of them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.factories import make_action, make_round
from tests.support.reminders import AS_OF
from tracker.domain.readiness.risks import AT_RISK_SHOWN


def _summary(app, session, make_user, smtp, at_risk: int) -> str:
    make_user("director")
    baseline = make_round(session, next_round_on=AS_OF + timedelta(days=30))
    for n in range(at_risk):  # no owner and no milestones: each is at risk for two reasons
        make_action(session, baseline, 1 + n % 3, title=f"Risky action {n:03d}")
    session.commit()
    result = app.test_cli_runner().invoke(
        args=["jobs", "run", "pre-round", "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "queued 1" in result.output
    (message,) = smtp.collector.messages
    html = message.get_body(("html",)).get_content()
    assert html.count("<li>") == min(at_risk, AT_RISK_SHOWN)
    assert ("/readiness/at-risk" in html) == (at_risk > AT_RISK_SHOWN)
    return message.get_body(("plain",)).get_content()


def test_more_at_risk_than_the_email_lists_gives_the_most_at_risk_and_a_link_to_all(
    app, session, framework, make_user, smtp
):
    text = _summary(app, session, make_user, smtp, AT_RISK_SHOWN + 5)
    listed = [line for line in text.splitlines() if line.startswith("- Risky action")]
    assert len(listed) == AT_RISK_SHOWN
    assert f"({AT_RISK_SHOWN + 5} open actions; the {AT_RISK_SHOWN} most at risk)" in text
    assert f"See all {AT_RISK_SHOWN + 5} open actions at risk: " in text
    assert "/readiness/at-risk" in text


@pytest.mark.parametrize("at_risk", [1, AT_RISK_SHOWN])
def test_no_more_than_the_email_lists_gives_them_all_and_no_link(
    app, session, framework, make_user, smtp, at_risk
):
    text = _summary(app, session, make_user, smtp, at_risk)
    listed = [line for line in text.splitlines() if line.startswith("- Risky action")]
    assert len(listed) == at_risk
    assert "See all" not in text
    assert "most at risk)" not in text
