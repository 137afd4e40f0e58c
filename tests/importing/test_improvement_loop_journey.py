"""The improvement loop through the test client, each person on their own browser: the admin
imports a baseline, the director assigns and plans, the owner works; a re-measurement raises
three questions (reaching their actions' targets) and lowers one; importing it again under a
variant name is the same round; the result page says what moved and what happened to the
actions; the director decides the review queue; and the next monthly reminder run chases no
closed or in-review action."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.support import factories
from tests.support.accounts import browser, csrf_token, post_form, text_of
from tests.support.helpers import SAMPLE
from tests.support.reminders import SMTPServer
from tests.support.signing_in import sign_in
from tracker import clock
from tracker.models import Action, AssessmentRound, Notification

# The re-measurement: questions 1, 13 and 17 rise from Starting to Developing (the target of
# their spawned actions); question 7 falls from Developing to Starting; the other 18 stay.
MOVES = [
    (b"shared purpose and vision  1.", b"\tStarting", b"\tDeveloping"),
    (b"13. 'Go and see' visits.", b"\tStarting", b"\tDeveloping"),
    (b"17. Co-production.", b"\tStarting", b"\tDeveloping"),
    (b"7. Enabling staff through a coaching style of leadership.", b"\tDeveloping", b"\tStarting"),
]
ACTION_LINK = re.compile(r'<a href="/actions/(\d+)">(Q\d+):')


@pytest.fixture
def smtp(app: Flask) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1, with the app pointed at it for this test."""
    server = SMTPServer().start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        yield server
    finally:
        server.stop()
        app.config.update(saved)


def remeasured(data: bytes) -> bytes:
    """The sample with the four questions of MOVES changed, one line each."""
    lines = data.split(b"\n")
    for start, before, after in MOVES:
        [index] = [n for n, line in enumerate(lines) if start in line]
        assert before in lines[index], start
        lines[index] = lines[index].replace(before, after, 1)
    return b"\n".join(lines)


def upload(client, data: bytes, round_name: str, held_on: date, **fields: str):
    """The admin's upload form, posted with its CSRF token and a file as a browser sends it."""
    form = {
        "csrf_token": csrf_token(client, "/admin/imports"),
        "file": (io.BytesIO(data), "results.txt"),
        "round_name": round_name,
        "held_on": held_on.isoformat(),
        **fields,
    }
    return client.post("/admin/imports", data=form, content_type="multipart/form-data")


def linked_actions(html: str) -> dict[str, int]:
    """The actions a page links to, by their question ("Q1" -> action id)."""
    return {question: int(action_id) for action_id, question in ACTION_LINK.findall(html)}


def section(html: str, heading: str, next_heading: str | None = None) -> str:
    part = html.split(f"<h2>{heading}</h2>")[1]
    return part.split(f"<h2>{next_heading}</h2>")[0] if next_heading else part


def in_review(queue: str) -> str:
    """The "Actions in review" part of the decisions page."""
    return queue.split('id="actions-in-review">Actions in review</h2>')[1].split('id="evidence"')[0]


def shown_version(html: str, form_id: str) -> str:
    match = re.search(rf'id="{form_id}".*?name="move-version" value="(\d+)"', html, re.S)
    assert match, f"no form {form_id}"
    return match.group(1)


def test_the_loop_from_baseline_to_the_next_digest(app, session, framework, make_user, smtp):
    today = clock.today()
    baseline_on, remeasure_on = today - timedelta(days=200), today - timedelta(days=1)
    admin_user = make_user("admin", name="Alex Admin")
    director_user = make_user("director", name="Dana Director")
    owner_user = make_user("owner", name="Owen Owner")
    for position in range(1, 6):
        factories.make_lead(session, director_user, position)
    session.commit()
    admin, director, owner = browser(app), browser(app), browser(app)
    for client, user in ((admin, admin_user), (director, director_user), (owner, owner_user)):
        sign_in(client, user)

    # 1. The baseline: 16 questions at Starting, each gets an action aimed at Developing.
    done = upload(admin, SAMPLE.read_bytes(), "Baseline 2026", baseline_on,
                  next_round_on=remeasure_on.isoformat())  # fmt: skip
    assert done.status_code == 302
    baseline_page = text_of(admin.get(done.headers["Location"]))
    assert "What the import of Baseline 2026 did" in baseline_page
    spawned = linked_actions(section(baseline_page, "Actions created from gaps"))
    assert len(spawned) == 16
    q1, q2, q5, q13, q17 = (spawned[q] for q in ("Q1", "Q2", "Q5", "Q13", "Q17"))

    # 2. The director assigns five actions to the owner and plans a milestone on Q1's.
    due = (today + timedelta(days=300)).isoformat()
    for action_id in (q1, q2, q5, q13, q17):
        page = f"/actions/{action_id}"
        assigned = post_form(director, f"{page}/assign",
                             {"assign-owner": owner_user.id, "assign-due_on": due,
                              "assign-priority": "high", "assign-version": "1"},
                             form_url=page)  # fmt: skip
        assert assigned.status_code == 302, text_of(assigned)
    planned = post_form(director, f"/actions/{q1}/milestones",
                        {"milestone-title": "Vision agreed by the board", "milestone-weight": "1",
                         "milestone-due_on": (today + timedelta(days=30)).isoformat()},
                        form_url=f"/actions/{q1}")  # fmt: skip
    assert planned.status_code == 302, text_of(planned)

    # 3. The owner sees them, ticks Q1's milestone and records progress on Q13's.
    mine = text_of(owner.get("/my-actions"))
    assert all(f'href="/actions/{a}"' in mine for a in (q1, q2, q5, q13, q17))
    q1_page = text_of(owner.get(f"/actions/{q1}"))
    milestone_id = re.search(rf"/actions/{q1}/milestones/(\d+)/done", q1_page).group(1)
    ticked = post_form(owner, f"/actions/{q1}/milestones/{milestone_id}/done",
                       {"done": "1", "version": "1"}, form_url=f"/actions/{q1}")  # fmt: skip
    assert ticked.status_code == 302, text_of(ticked)
    progress = post_form(owner, f"/actions/{q13}/progress",
                         {"percent": "40", "note": "Visits booked for every ward"},
                         form_url=f"/actions/{q13}")  # fmt: skip
    assert progress.status_code == 302, text_of(progress)
    session.expire_all()
    assert session.get(Action, q1).status == session.get(Action, q13).status == "in_progress"

    # 4. The re-measurement: three questions up (to their actions' target), one down.
    better = remeasured(SAMPLE.read_bytes())
    done = upload(admin, better, "Re-measure 2027", remeasure_on,
                  next_round_on=(today + timedelta(days=180)).isoformat())  # fmt: skip
    assert done.status_code == 302 and "/admin/imports/results/" in done.headers["Location"]
    result_url = done.headers["Location"]

    # 5. The same file again under a variant of the name is the same round: nothing new.
    again = upload(admin, better, "re-measure  2027", remeasure_on)
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/imports")
    assert (
        "Round &#39;Re-measure 2027&#39; already has these 22 scores (14 Starting, 8 Developing); "
        "nothing changed"
    ) in text_of(admin.get(again.headers["Location"]))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AssessmentRound)) == 2

    # 6. The result page: what moved, and what happened to the actions, with the comparison.
    result = text_of(admin.get(result_url))
    assert "What the import of Re-measure 2027 did" in result
    assert (
        "Compared with Baseline 2026: 3 questions moved up, 1 moved down and 18 stayed the same"
        in result
    )
    up = section(result, "Questions that moved up", "Questions that moved down")
    down = section(result, "Questions that moved down", "Questions that stayed the same")
    stayed = section(result, "Questions that stayed the same", "Actions created from gaps")
    assert [up.count("<tr class"), down.count("<tr class"), stayed.count("<tr class")] == [3, 1, 18]
    assert "'Go and see' visits." in up or "&#39;Go and see&#39; visits." in up
    assert "Co-production" in up and "coaching style of leadership" in down
    new = linked_actions(section(result, "Actions created from gaps",
                                 "Actions carried forward to this round"))  # fmt: skip
    carried = linked_actions(section(result, "Actions carried forward to this round",
                                     "Actions moved to review"))  # fmt: skip
    review = linked_actions(section(result, "Actions moved to review"))
    assert list(new) == ["Q7"]
    assert len(carried) == 13 and {"Q2", "Q5"} <= set(carried)
    assert review == {"Q1": q1, "Q13": q13, "Q17": q17}
    baseline = session.scalars(select(AssessmentRound).filter_by(name="Baseline 2026")).one()
    latest = session.scalars(select(AssessmentRound).filter_by(name="Re-measure 2027")).one()
    compare = f"/readiness/compare?a={baseline.id}&amp;b={latest.id}"
    assert compare in result
    assert admin.get(compare.replace("&amp;", "&")).status_code == 200

    # 7. The director's queue: the three in review, each saying why.
    queue = text_of(director.get("/decisions"))
    waiting = in_review(queue)
    assert waiting.count('class="nhsuk-card"') == 3
    assert (
        waiting.count("Why it is here: A re-measurement shows its question reached the target.")
        == 3
    )
    signed = post_form(director, f"/decisions/actions/{q1}",
                       {"move-move": "sign_off", "move-outcome": "verified",
                        "move-version": shown_version(queue, f"sign-off-{q1}")},
                       form_url="/decisions")  # fmt: skip
    assert signed.status_code == 302, text_of(signed)
    queue = text_of(director.get(signed.headers["Location"]))
    assert "Action signed off as completed" in queue
    waiting = in_review(queue)
    assert waiting.count('class="nhsuk-card"') == 2 and f'href="/actions/{q1}"' not in waiting
    cancel_page = text_of(director.get(f"/actions/{q2}/cancel"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', cancel_page).group(1)
    cancelled = post_form(director, f"/actions/{q2}/cancel",
                          {"note": "Covered by the work on question 1", "version": version})  # fmt: skip
    assert cancelled.status_code == 302, text_of(cancelled)
    assert "Completed (Verified)" in text_of(owner.get(f"/actions/{q1}"))
    assert "Cancelled: “Covered by the work on question 1”" in text_of(owner.get(f"/actions/{q2}"))
    told = session.scalars(select(Notification.kind).where(
        Notification.recipient_id == owner_user.id)).all()  # fmt: skip
    assert sorted(told) == ["action_cancelled", "action_completed"] + ["assignment"] * 5
    mine = text_of(owner.get("/my-actions"))
    assert f'href="/actions/{q1}"' not in mine and f'href="/actions/{q2}"' not in mine
    assert f'href="/actions/{q5}"' in mine

    # 8. The next monthly reminder run chases no completed, cancelled or in-review action.
    first_of_next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    run = app.test_cli_runner().invoke(
        args=["reminders", "send", "--as-of", first_of_next_month.isoformat()]
    )
    assert run.exit_code == 0, run.output
    # The outbox also sends the assignment and closing emails queued earlier; the reminders
    # are the digests and escalations.
    reminders = [
        m for m in smtp.collector.messages if m["X-Tracker-Kind"] in ("digest", "escalation")
    ]
    [digest] = [m for m in reminders if m["To"] == owner_user.email]
    assert digest["X-Tracker-Kind"] == "digest"
    digest_text = digest.get_body(("plain",)).get_content()
    assert "Q5: raise from Starting to Developing" in digest_text
    assert re.search(rf"/actions/{q5}\b", digest_text)
    not_chased = {q1, q2, q13, q17}
    for message in reminders:
        body = message.get_body(("plain",)).get_content()
        linked = {int(n) for n in re.findall(r"/actions/(\d+)", body)}
        assert not linked & not_chased, (message["To"], message["X-Tracker-Kind"])
        for question in ("Q1:", "Q2:", "Q13:", "Q17:"):
            assert question not in body, (message["To"], question)
