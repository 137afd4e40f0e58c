"""Loading a framework file (components, questions, the ordered scale) into the database.

Loading is idempotent: the same file twice changes nothing, and an edited file updates texts
in place (matched by level rank, component position and question number) so scores and actions
that point at those rows are untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.errors import InvalidInput, Problem
from tracker.models import Component, Framework, LevelDescriptor, MaturityLevel, Question

DEFAULT_FRAMEWORK_FILE = Path(__file__).resolve().parents[2] / "data" / "nhs_impact_framework.json"


@dataclass
class LoadSummary:
    """What a load did, counted per kind of row."""

    framework: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        def part(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(bucket.items())) or "nothing"

        return f"{self.framework}: created {part(self.created)}; updated {part(self.updated)}"


def read_framework_file(path: Path) -> dict[str, Any]:
    """Parse and validate a framework file, reporting every problem at once."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(
            problems=[Problem(f"cannot read framework file {path}: {error}")]
        ) from None
    problems = validate_framework(data)
    if problems:
        raise InvalidInput(problems=problems)
    return data


def validate_framework(data: Any) -> list[Problem]:
    """Check the shape a framework file must have; returns the problems found."""
    if not isinstance(data, dict):
        return [Problem("the file must hold one JSON object")]
    problems = [Problem(f"'{key}' is missing") for key in ("slug", "name") if not data.get(key)]
    levels = data.get("levels") or []
    ranks = [level.get("rank") for level in levels if isinstance(level, dict)]
    names = [
        str(level.get("name", "")).strip().lower() for level in levels if isinstance(level, dict)
    ]
    if len(levels) < 2 or ranks != list(range(1, len(levels) + 1)):
        problems.append(Problem("'levels' must list at least two levels ranked 1, 2, 3 … in order"))
    if len(set(names)) != len(names) or "" in names:
        problems.append(Problem("every level needs a name, and names must differ"))
    numbers: list[int] = []
    components = data.get("components") or []
    if not components:
        problems.append(Problem("'components' must list at least one component"))
    for position, component in enumerate(components, start=1):
        if (
            not isinstance(component, dict)
            or component.get("position") != position
            or not component.get("name")
        ):
            problems.append(
                Problem(f"component {position} needs 'position': {position} and a 'name'")
            )
            continue
        for question in component.get("questions") or []:
            number = question.get("number") if isinstance(question, dict) else None
            if not isinstance(number, int) or number < 1 or not question.get("text"):
                problems.append(
                    Problem(f"a question of component {position} needs a number and text")
                )
                continue
            numbers.append(number)
            unknown = set(question.get("descriptors") or {}) - {n for n in names}
            unknown = {name for name in unknown if name.strip().lower() not in names}
            if unknown:
                problems.append(
                    Problem(f"question {number} describes unknown levels: {sorted(unknown)}")
                )
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        problems.append(Problem(f"question numbers used twice: {duplicates}"))
    return problems


def load_framework(session: Session, data: dict[str, Any]) -> LoadSummary:
    """Create or update the framework described by `data` (already validated)."""
    summary = LoadSummary(framework=data["name"])
    framework = session.scalar(select(Framework).where(Framework.slug == data["slug"]))
    if framework is None:
        framework = Framework(
            slug=data["slug"], name=data["name"], version=str(data.get("version", "1"))
        )
        session.add(framework)
        session.flush()
        summary.count(summary.created, "framework")
    else:
        _update(
            framework,
            {"name": data["name"], "version": str(data.get("version", "1"))},
            summary,
            "framework",
        )
    levels = _load_levels(session, framework, data["levels"], summary)
    for component_data in data["components"]:
        _load_component(session, framework, component_data, levels, summary)
    session.flush()
    return summary


def _update(row: Any, values: dict[str, Any], summary: LoadSummary, kind: str) -> None:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    if changed:
        summary.count(summary.updated, kind)


def _load_levels(
    session: Session, framework: Framework, levels_data: list[dict[str, Any]], summary: LoadSummary
) -> dict[str, MaturityLevel]:
    existing = {level.rank: level for level in framework.levels}
    # Park renamed levels on temporary names first, so swapping two names cannot collide.
    for level_data in levels_data:
        level = existing.get(level_data["rank"])
        if level is not None and level.name != level_data["name"]:
            level.name = f"__renaming_{level.rank}"
    session.flush()
    by_name: dict[str, MaturityLevel] = {}
    for level_data in levels_data:
        values = {
            "name": level_data["name"].strip(),
            "description": level_data.get("description", ""),
        }
        level = existing.get(level_data["rank"])
        if level is None:
            level = MaturityLevel(framework=framework, rank=level_data["rank"], **values)
            session.add(level)
            summary.count(summary.created, "levels")
        else:
            _update(level, values, summary, "levels")
        by_name[level.name.lower()] = level
    session.flush()
    return by_name


def _load_component(
    session: Session,
    framework: Framework,
    component_data: dict[str, Any],
    levels: dict[str, MaturityLevel],
    summary: LoadSummary,
) -> None:
    component = next(
        (c for c in framework.components if c.position == component_data["position"]), None
    )
    values = {"name": component_data["name"], "aliases": list(component_data.get("aliases") or [])}
    if component is None:
        component = Component(framework=framework, position=component_data["position"], **values)
        session.add(component)
        session.flush()
        summary.count(summary.created, "components")
    else:
        _update(component, values, summary, "components")
    questions = {
        q.number: q
        for q in session.scalars(select(Question).where(Question.framework_id == framework.id))
    }
    for question_data in component_data.get("questions") or []:
        question = questions.get(question_data["number"])
        q_values = {"text": question_data["text"].strip(), "component_id": component.id}
        if question is None:
            question = Question(
                framework_id=framework.id, number=question_data["number"], **q_values
            )
            session.add(question)
            session.flush()
            summary.count(summary.created, "questions")
        else:
            _update(question, q_values, summary, "questions")
        _load_descriptors(
            session, question, question_data.get("descriptors") or {}, levels, summary
        )


def _load_descriptors(
    session: Session,
    question: Question,
    descriptors: dict[str, str],
    levels: dict[str, MaturityLevel],
    summary: LoadSummary,
) -> None:
    existing = {d.level_id: d for d in question.descriptors}
    for level_name, text in descriptors.items():
        level = levels[level_name.strip().lower()]
        descriptor = existing.get(level.id)
        if descriptor is None:
            session.add(LevelDescriptor(question=question, level=level, text=text.strip()))
            summary.count(summary.created, "descriptors")
        else:
            _update(descriptor, {"text": text.strip()}, summary, "descriptors")
