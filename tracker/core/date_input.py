"""One date field for every form: the NHS.UK date input pattern (day, month and year boxes).

A date typed into three boxes cannot be misread the way one free-text box can (15052027 in a
browser's date picker once became 2027-12-05). The field reads `<name>-day`, `<name>-month` and
`<name>-year`; for scripts and older links it also accepts one `<name>` value written exactly
YYYY-MM-DD, and nothing looser. Every problem has its own message, named after the field:

- nothing typed, when the date is needed: the field's `missing` message ("Enter the due date");
- a box left empty: "Due date must include a month" (or "a day and year", ...);
- letters, a day of 32, a month of 13, 31 February: "Due date must be a real date";
- a year of 2 digits: "Year must include 4 numbers";
- a date outside 1900 to 2999: the shared range check (tracker.core.input_ranges).

Render it with the `date_input` macro in templates/macros.html.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from wtforms import Field, Form
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from tracker.core.input_ranges import date_in_range

PARTS = ("day", "month", "year")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_EXAMPLE = "For example, 15 3 2027"


def words_for(parts: Sequence[str]) -> str:
    """ "day", "day and year", "day, month and year"."""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def name_of(label: str) -> str:
    """The label as the errors name it: "Due date (optional)" -> "Due date"."""
    return re.sub(r"\s*\(.*\)\s*$", "", label).strip() or "Date"


class DateInputField(Field):
    """A date typed as day, month and year; `data` is a `date`, or None when left empty.

    `required=True` refuses an empty field with `missing` (default "Enter the <label>").
    `parts` keeps what was typed, so a refused form shows it again; `error_parts` says which
    boxes to mark, and `error_anchor` which box the error summary links to."""

    # A date, or None; typed loosely as WTForms' own DateField is, so a view may pass a
    # required field's data (a date once the form validated) where a date is expected.
    data: Any

    def __init__(
        self,
        label: str | None = None,
        validators: Sequence[Any] | None = None,
        *,
        required: bool = True,
        missing: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, [*(validators or []), date_in_range], **kwargs)
        self.required = required
        self.error_name = name_of(self.label.text)
        self.missing = missing or f"Enter the {self.error_name.lower()}"
        self.parts: dict[str, str] = {}
        self.error_parts: tuple[str, ...] = ()

    @property
    def values(self) -> dict[str, str]:
        """What the three boxes show: what was typed, else the date's numbers."""
        if self.parts:
            return self.parts
        if isinstance(self.data, date):
            return {"day": str(self.data.day), "month": str(self.data.month),
                    "year": str(self.data.year)}  # fmt: skip
        return {part: "" for part in PARTS}

    @property
    def error_anchor(self) -> str:
        """The id of the first box in error (the day box when the whole date is)."""
        return f"{self.id}-{(self.error_parts or PARTS)[0]}"

    def process(
        self, formdata: Any, data: Any = unset_value, extra_filters: Sequence[Any] | None = None
    ) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is None:
            return
        names = {part: f"{self.name}-{part}" for part in PARTS}
        if not any(name in formdata for name in names.values()):
            return  # no boxes sent: the single YYYY-MM-DD value (or nothing) was read above
        self.parts = {part: str(formdata.get(name, "")).strip() for part, name in names.items()}
        self.process_errors = []
        self.data = None
        try:
            self.data = self.read(self.parts)
        except ValueError as error:
            self.process_errors.append(str(error))

    def process_formdata(self, valuelist: list[Any]) -> None:
        """One value (no boxes): exactly YYYY-MM-DD, else "must be a real date"."""
        self.data = None
        raw = str(valuelist[0]).strip() if valuelist else ""
        if not raw:
            return
        if not ISO_DATE.fullmatch(raw):
            self.error_parts = PARTS
            raise ValueError(f"{self.error_name} must be a real date")
        try:
            self.data = date.fromisoformat(raw)
        except ValueError:
            self.error_parts = PARTS
            raise ValueError(f"{self.error_name} must be a real date") from None

    def read(self, parts: dict[str, str]) -> date | None:
        """The date in the three boxes, or a ValueError with the message for what is wrong."""
        if not any(parts.values()):
            return None
        missing = tuple(part for part in PARTS if not parts[part])
        if missing:
            self.error_parts = missing
            raise ValueError(f"{self.error_name} must include a {words_for(missing)}")
        wrong = tuple(
            part for part in ("day", "month")
            if not (parts[part].isascii() and parts[part].isdigit() and len(parts[part]) <= 2)
        )  # fmt: skip
        wrong = wrong or tuple(
            part for part, top in (("day", 31), ("month", 12)) if not 1 <= int(parts[part]) <= top
        )
        if wrong:
            self.error_parts = wrong
            raise ValueError(f"{self.error_name} must be a real date")
        year = parts["year"]
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            self.error_parts = ("year",)
            raise ValueError("Year must include 4 numbers")
        try:
            return date(int(year), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.error_parts = PARTS
            raise ValueError(f"{self.error_name} must be a real date") from None

    def pre_validate(self, form: Form) -> None:
        """A date that could not be read keeps only its own message; an empty required one
        gets the `missing` message; the range check runs only on a real date."""
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            if self.required:
                self.error_parts = PARTS
                raise StopValidation(self.missing)
            raise StopValidation()

    def post_validate(self, form: Form, validation_stopped: bool) -> None:
        if self.errors and not self.error_parts:
            self.error_parts = PARTS  # the range check, or a form's own rule on this date
