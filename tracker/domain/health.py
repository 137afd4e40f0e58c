"""Whether the database answers: the health check load balancers and the benchmark ask."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def check_database(session: Session) -> None:
    """Run the cheapest query there is; raises whatever the driver raises when it cannot."""
    session.execute(text("SELECT 1"))
