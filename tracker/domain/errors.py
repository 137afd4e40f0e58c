"""Typed errors the domain raises; views and commands turn them into messages."""

from __future__ import annotations

from dataclasses import dataclass, field

# What anyone sees when someone else saved the same thing first (optimistic locking).
CONFLICT_MESSAGE = (
    "Someone else changed this action since you opened it. Your changes have not been saved. "
    "Reload the page to see their changes."
)


class DomainError(Exception):
    """Something the user can correct. `field` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the actor may not know it exists."""


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""


class Conflict(DomainError):
    """Someone else changed the object since the actor loaded it."""


def check_version(current: int, expected: int | None) -> None:
    """Refuse a save made from a page that showed another version of the record.

    `expected` None means the caller carries no page (a command, the demo): nothing to check.
    Views pass the version their form carried, -1 when it carried none."""
    if expected is not None and expected != current:
        raise Conflict(CONFLICT_MESSAGE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as a person would find it."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        if not where:
            return self.message
        located = ", ".join(where)
        return f"{located[0].upper()}{located[1:]}: {self.message}"


# An error report lists this many problems and says how many more there are, so a file with
# thousands of bad rows gets a short page rather than megabytes of the same message.
PROBLEMS_SHOWN = 50


@dataclass
class InvalidInput(DomainError):
    """An input (usually a file) failed validation; nothing was written.

    `problems` keeps the first PROBLEMS_SHOWN; `total` counts them all and `more` the rest."""

    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.problems)

    def __post_init__(self) -> None:
        self.total = max(self.total, len(self.problems))
        self.problems = self.problems[:PROBLEMS_SHOWN]
        summary = "; ".join(str(p) for p in self.problems[:5])
        more = self.total - min(5, len(self.problems))
        if more > 0:
            summary += f"; and {more} more"
        DomainError.__init__(self, summary)
