"""Forms that carry the version of the record the page showed (optimistic locking).

The domain compares it with the record's current version and refuses a stale save with the
conflict message, so two people saving from pages showing the same state cannot both win.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField

from tracker.core.input_ranges import ID_MAX


class VersionedForm(FlaskForm):
    """A form with a hidden `version`; a missing or garbled one counts as stale (-1)."""

    version = HiddenField()

    def version_number(self) -> int | None:
        value = (self.version.data or "").strip()
        if value.isascii() and value.isdigit() and int(value) <= ID_MAX:
            return int(value)
        return None

    def shown_version(self) -> int:
        """The version the page showed, or -1 (never a real version) when it sent none."""
        number = self.version_number()
        return -1 if number is None else number
