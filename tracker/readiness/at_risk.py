"""How much of the at-risk list each page shows.

`report.at_risk` comes most at risk first (more reasons, then more overdue milestones, then
question number, then action id). The readiness page and the board report show only its first
AT_RISK_SHOWN actions, so a board reads the worst of them rather than thousands of rows; the
whole list is on /readiness/at-risk, AT_RISK_PER_PAGE a page, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.domain.actions.dashboard import page_count
from tracker.domain.readiness.risks import AT_RISK_SHOWN, AtRiskItem

AT_RISK_PER_PAGE = 50

__all__ = ["AT_RISK_PER_PAGE", "AT_RISK_SHOWN", "AtRiskPage", "at_risk_page"]


@dataclass(frozen=True)
class AtRiskPage:
    items: Sequence[AtRiskItem]
    total: int
    page: int
    pages: int
    first: int  # the position in the whole list of the page's first item (1-based)

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def at_risk_page(
    at_risk: Sequence[AtRiskItem], page: int, per_page: int = AT_RISK_PER_PAGE
) -> AtRiskPage:
    """Page `page` of the list in the order given; a page past the end gives the last page."""
    pages = page_count(len(at_risk), per_page)
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return AtRiskPage(
        items=at_risk[start : start + per_page],
        total=len(at_risk),
        page=page,
        pages=pages,
        first=start + 1,
    )
