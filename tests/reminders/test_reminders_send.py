"""`flask reminders send` against a real SMTP server: one email per person, kind and period."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.reminders import AS_OF
from tracker.models import Action


def send(app, as_of=AS_OF):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--as-of", as_of.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_first_of_month_sends_one_digest_per_owner_and_one_escalation(app, session, org, smtp):
    output = send(app)
    assert output == "queued 3, sent 3, already sent 0, failed 0"
    assert smtp.collector.kinds() == sorted(
        [
            (org.late_owner.email, "digest"),
            (org.busy_owner.email, "digest"),
            (org.director.email, "escalation"),
        ]
    )
    assert send(app) == "queued 0, sent 0, already sent 3, failed 0"
    assert len(smtp.collector.messages) == 3


def test_digest_lists_overdue_and_upcoming_work_with_direct_links(app, session, org, smtp):
    send(app)
    [late] = smtp.collector.to(org.late_owner.email)
    text = late.get_body(("plain",)).get_content()
    html = late.get_body(("html",)).get_content()
    action_id = session.scalar(select(Action.id).where(Action.title == "Publish the vision"))
    assert "Actions that need your attention" in text
    assert "Publish the vision\n- Draft the vision: planned for 1 November 2026, 30 days ago" in (
        text.replace("\r\n", "\n")
    )
    link = f"{app.config['BASE_URL']}/actions/{action_id}"
    assert link in text
    assert f'<a href="{link}">Publish the vision</a>' in html
    assert late["Subject"] == "Your improvement actions: 1 milestone past due"
    [busy] = smtp.collector.to(org.busy_owner.email)
    busy_text = busy.get_body(("plain",)).get_content()
    assert "re-plan the milestone" not in busy_text
    assert "First cohort trained: due 1 February 2027, before the next self-assessment" in busy_text


def test_escalation_is_supportive_and_names_the_reason(app, session, org, smtp):
    send(app)
    [note] = smtp.collector.to(org.director.email)
    text = note.get_body(("plain",)).get_content()
    assert "may need a little support" in text
    assert "not a judgement" in text
    assert "Publish the vision" in text and "owned by Late Owner" in text
    assert "a milestone is 30 days past its planned date" in text
    assert smtp.collector.to(org.calm_director.email) == []


def test_a_bad_date_is_refused_and_nothing_is_written(app, session, org, smtp):
    from tests.support.helpers import table_counts

    before = table_counts(session)
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--as-of", "2026-13-01"])
    assert result.exit_code != 0
    assert "is not a date like 2026-12-01" in result.output
    assert table_counts(session) == before
    assert smtp.collector.messages == []


def test_escalation_links_to_the_decisions_page(app, session, org, smtp):
    send(app)
    [note] = smtp.collector.to(org.director.email)
    assert "/decisions" in note.get_body(("plain",)).get_content()
    assert 'href="http' in note.get_body(("html",)).get_content()


def test_closed_and_in_review_actions_are_not_chased(app, session, org, smtp):
    late = session.scalars(select(Action).where(Action.title == "Publish the vision")).one()
    late.status = "review"  # waits for the director's decision, not the owner
    busy = session.scalars(select(Action).where(Action.title == "Train the managers")).one()
    busy.status = "cancelled"
    session.commit()
    send(app)
    assert smtp.collector.to(org.late_owner.email) == []
    assert smtp.collector.to(org.busy_owner.email) == []
    # The director may still hear of other work (an unplanned action), never of these two.
    for note in smtp.collector.to(org.director.email):
        text = note.get_body(("plain",)).get_content()
        assert "Publish the vision" not in text and "Train the managers" not in text
