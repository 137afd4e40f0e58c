"""“Compared with partners”: where an organisation stands among the partners of its system that
shared their results, per component and overall, for its own readiness page and board pack.

It is the system view (system_view.py) seen from one organisation, with the same rule and the
same words ("broadly similar", "above", "below"), so a board reads what the system lead reads.
It appears only when the organisation itself shares with its system (it has at least one round
shared and not withdrawn): an organisation that keeps its results to itself is not shown the
partners' either. Partners that have not shared appear as not shared, with no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.organisations.system_view import STANDING_RULE, build_system_view
from tracker.models import RoundShare


@dataclass(frozen=True)
class PartnerColumn:
    """A partner organisation: its latest shared round and mean level, or not shared."""

    name: str
    code: str
    shared: bool
    round_name: str = ""
    held_on: date | None = None
    overall: float | None = None


@dataclass(frozen=True)
class ComponentStanding:
    """One component: your mean level, the partners' median and where you stand."""

    number: int
    name: str
    yours: float | None
    partners_median: float | None
    standing: str  # "broadly similar", "above", "below" or "" (nothing to compare)


@dataclass(frozen=True)
class PartnerComparison:
    system_name: str
    round_name: str  # your round that is compared
    yours: float | None
    partners_median: float | None
    standing: str
    components: tuple[ComponentStanding, ...]
    partners: tuple[PartnerColumn, ...]
    level_names: dict[int, str]
    rule: str = STANDING_RULE

    @property
    def sharing_partners(self) -> int:
        return sum(1 for p in self.partners if p.shared)


def shares_with_system(session: Session, organisation_id: int) -> bool:
    """Whether the organisation has at least one round shared (and not withdrawn)."""
    return (
        session.scalar(
            select(RoundShare.id)
            .where(RoundShare.organisation_id == organisation_id, RoundShare.withdrawn_at.is_(None))
            .limit(1)
        )
        is not None
    )


def partner_comparison(session: Session, organisation_id: int) -> PartnerComparison | None:
    """The comparison for a member of `organisation_id`, or None when it is in no system or
    shares nothing with it. Your column is your latest round, as in the system view for a
    member of your organisation. A constant number of queries."""
    if not shares_with_system(session, organisation_id):
        return None
    view = build_system_view(session, organisation_id, include_own_unshared=True)
    if view is None:
        return None
    own = next(i for i, c in enumerate(view.columns) if c.is_yours)
    sharing = [i for i, c in enumerate(view.columns) if c.shared and not c.is_yours]
    components = []
    for row in view.components:
        values = [v for i in sharing if (v := row.cells[i].value) is not None]
        components.append(
            ComponentStanding(
                row.number,
                row.label,
                row.cells[own].value,
                median(values) if values else None,
                row.standing,
            )
        )
    partners = tuple(
        PartnerColumn(c.name, c.code, True, c.round_name, c.held_on, c.overall)
        if c.shared
        else PartnerColumn(c.name, c.code, False)
        for c in view.columns
        if not c.is_yours
    )
    yours = view.columns[own]
    return PartnerComparison(
        system_name=view.system_name,
        round_name=yours.round_name,
        yours=yours.overall,
        partners_median=view.partners_median,
        standing=view.standing,
        components=tuple(components),
        partners=partners,
        level_names=view.level_names,
    )
