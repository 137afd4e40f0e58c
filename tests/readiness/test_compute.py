"""compute_readiness and store_snapshots on factory-built rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from tests.support.factories import make_action, make_milestone, make_note_evidence, make_round
from tests.support.helpers import TODAY
from tracker.domain.accounts.registration import default_organisation
from tracker.domain.readiness import compute_readiness, store_snapshots
from tracker.models import ReadinessSnapshot

DONE = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _org(session):
    return default_organisation(session).id


def test_no_round_gives_none(session, framework):
    assert compute_readiness(session, organisation_id=_org(session), as_of=TODAY) is None


def test_question_without_actions_keeps_its_level(session, framework):
    make_round(session, ranks={1: 2})
    report = compute_readiness(session, organisation_id=_org(session), as_of=TODAY)
    q1 = report.questions[0]
    assert (q1.number, q1.baseline, q1.expected, q1.assured) == (1, 2.0, 2.0, 2.0)
    assert q1.level_now == "Developing"
    assert q1.status == "No actions planned"
    assert report.round_name == "Baseline 2026"
    assert report.next_round_on == date(2027, 5, 1)
    assert len(report.components) == 5


def test_expected_counts_done_and_due_milestones(session, framework, make_user):
    director = make_user("director")
    owner = make_user("owner")
    rnd = make_round(session)
    action = make_action(session, rnd, 1, owner=owner, target_rank=3)
    done = make_milestone(session, action, date(2026, 10, 2), done_at=DONE, done_by=owner)
    make_milestone(session, action, date(2027, 3, 1))
    make_milestone(session, action, date(2027, 9, 1), weight=2)  # after the round: counts 0
    make_note_evidence(
        session,
        action,
        owner,
        milestone=done,
        review_status="accepted",
        reviewed_by=director,
        reviewed_at=DONE,
    )
    session.commit()
    report = compute_readiness(session, organisation_id=_org(session), as_of=TODAY)
    # history: one milestone finished on time -> (1 + 2) / (1 + 4) = 0.6
    assert report.on_time_rate == 0.6
    q1 = report.questions[0]
    # completion = (1 + 1 x 0.6) / 4 = 0.4; expected = 1 + 2 x 0.4 = 1.8; assured = 1 + 2 x 0.25
    assert round(q1.expected, 6) == 1.8
    assert round(q1.assured, 6) == 1.5
    assert q1.target == 3.0
    assert q1.status == "Some issues"
    assert report.at_risk == ()
    assert report.movers[0].milestone_title == "A milestone"
    assert report.movers[0].question_number == 1


def test_snapshots_replace_on_the_same_day(session, framework):
    make_round(session)
    report = compute_readiness(session, organisation_id=_org(session), as_of=TODAY)
    assert store_snapshots(session, report, TODAY) == 1 + 5 + 22
    session.commit()
    assert store_snapshots(session, report, TODAY) == 28
    session.commit()
    count = session.scalar(select(func.count()).select_from(ReadinessSnapshot))
    assert count == 28
    overall = session.scalars(
        select(ReadinessSnapshot).where(ReadinessSnapshot.scope_key == "overall")
    ).one()
    assert overall.inputs["actions"] == 0
    assert overall.baseline == 1.0


def test_status_thresholds_are_exact():
    from tracker.domain.readiness.model import status_for

    assert status_for(1.5, 2.0, 1.7) == "Some issues"  # 0.2 / 0.5 is 40 %, despite floats
    assert status_for(1.0, 2.0, 1.75) == "On track"
    assert status_for(1.0, 2.0, 1.39) == "Not on track"
    assert status_for(2.0, 2.0, 2.0) == "No actions planned"


def test_rejected_evidence_is_a_risk_until_evidence_is_accepted(session, framework, make_user):
    director, owner = make_user("director"), make_user("owner")
    rnd = make_round(session)
    action = make_action(session, rnd, 1, owner=owner)
    m = make_milestone(session, action, date(2027, 1, 1), done_at=DONE)
    make_note_evidence(
        session, action, owner, milestone=m, review_status="rejected",
        reviewed_by=director, reviewed_at=DONE,
    )  # fmt: skip
    session.commit()
    org = _org(session)
    report = compute_readiness(session, organisation_id=org, as_of=TODAY)
    assert report.at_risk[0].reasons == ("Evidence rejected",)
    assert report.questions[0].assured == 1.0
    make_note_evidence(
        session, action, owner, milestone=m, review_status="accepted",
        reviewed_by=director, reviewed_at=DONE,
    )  # fmt: skip
    session.commit()
    report = compute_readiness(session, organisation_id=org, as_of=TODAY)
    assert report.at_risk == ()
    assert report.questions[0].assured == 2.0
    # computed as of a day before the acceptance, the evidence does not assure yet
    earlier = compute_readiness(session, organisation_id=org, as_of=date(2026, 9, 30))
    assert earlier.questions[0].assured == 1.0


def test_no_owner_no_milestones_and_stale_actions_are_at_risk(session, framework):
    rnd = make_round(session)
    action = make_action(session, rnd, 2)
    action.created_at = datetime(2026, 9, 1, tzinfo=UTC)
    session.commit()
    report = compute_readiness(session, organisation_id=_org(session), as_of=TODAY)
    assert report.at_risk[0].reasons == ("No owner", "No milestones", "No update for 30 days")
    assert report.at_risk[0].question_number == 2


def test_questions_a_partial_round_did_not_score_are_left_out(session, framework):
    assessment_round = make_round(session, ranks={1: 2, 2: 2})
    for score in list(assessment_round.scores):
        if score.question.component.position != 1:
            session.delete(score)
    session.flush()
    report = compute_readiness(session, organisation_id=_org(session), as_of=TODAY)
    assert [q.number for q in report.questions] == [1, 2, 3, 4]
    assert [c.position for c in report.components] == [1]
    assert report.overall.baseline == 1.5  # (2 + 2 + 1 + 1) / 4, not diluted by unscored ones
