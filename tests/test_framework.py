"""Loading the framework file: shipped content, idempotence and edits."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tracker.domain.errors import InvalidInput
from tracker.domain.framework.loader import (
    DEFAULT_FRAMEWORK_FILE,
    load_framework,
    read_framework_file,
)
from tracker.models import Component, LevelDescriptor, MaturityLevel, Question


def counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Component, Question, MaturityLevel, LevelDescriptor)
    )


def test_shipped_framework_has_five_components_22_questions_and_an_ordered_scale(session):
    load_framework(session, read_framework_file(DEFAULT_FRAMEWORK_FILE))
    session.commit()
    assert counts(session)[:2] == (5, 22)
    levels = session.scalars(select(MaturityLevel).order_by(MaturityLevel.rank)).all()
    assert [level.name for level in levels[:2]] == ["Starting", "Developing"]
    components = session.scalars(select(Component).order_by(Component.position)).all()
    assert [len(c.questions) for c in components] == [4, 4, 5, 5, 4]
    assert components[4].aliases == ["Embedding into management systems and processes"]


def test_loading_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["framework", "load"])
    assert first.exit_code == 0, first.output
    assert "created 5 components" in first.output
    second = runner.invoke(args=["framework", "load"])
    assert second.exit_code == 0
    assert "already up to date" in second.output
    from tracker.extensions import db

    assert counts(db.session) == (5, 22, 4, 22)


def test_edited_file_updates_texts_in_place(session, tmp_path):
    data = json.loads(DEFAULT_FRAMEWORK_FILE.read_text())
    load_framework(session, data)
    session.commit()
    question_ids = set(session.scalars(select(Question.id)))
    data["components"][0]["questions"][0]["text"] = "Board and executives set the shared purpose."
    data["levels"][2]["name"] = "Embedding"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    summary = load_framework(session, read_framework_file(edited))
    session.commit()
    assert summary.updated == {"levels": 1, "questions": 1}
    assert set(session.scalars(select(Question.id))) == question_ids
    assert session.scalar(select(Question.text).where(Question.number == 1)).startswith(
        "Board and executives set"
    )
    assert session.scalar(select(MaturityLevel.name).where(MaturityLevel.rank == 3)) == "Embedding"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("slug"), "'slug' is missing"),
        (lambda d: d["levels"].reverse(), "ranked 1, 2, 3"),
        (
            lambda d: d["components"][1]["questions"].append({"number": 1, "text": "x"}),
            "used twice",
        ),
        (
            lambda d: d["components"][0]["questions"][0]["descriptors"].update({"Expert": "x"}),
            "unknown levels",
        ),
    ],
)
def test_invalid_framework_files_are_refused(tmp_path, mutate, message):
    data = json.loads(DEFAULT_FRAMEWORK_FILE.read_text())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InvalidInput, match=message):
        read_framework_file(path)


def test_unreadable_framework_file_exits_non_zero_and_writes_nothing(app, tmp_path, session):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    result = app.test_cli_runner().invoke(args=["framework", "load", str(path)])
    assert result.exit_code == 1
    assert "cannot read framework file" in result.output
    assert counts(session) == (0, 0, 0, 0)
