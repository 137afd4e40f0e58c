"""Every number and date a person can put in a URL or a form has a range the database can hold.

PostgreSQL's `integer` stops at 2**31 - 1 and SQLite's at 2**63 - 1; a larger id in a URL, or a
page number of twenty digits, would reach the database and fail there (a 500). Here:

- the `int` URL converter is replaced by `IdConverter`, so every `<int:...>` route answers 404
  for an id outside 1 .. ID_MAX before its view runs (a new route cannot forget);
- `int_arg` reads a whole-number query argument (page numbers, filters): missing or not a
  number gives the default, as before; a number outside its range answers 400;
- `date_in_range` is a form validator for dates between DATE_MIN and DATE_MAX, so a date such
  as 9999-12-31 (whose next day Python cannot represent) is a message on its field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map
from wtforms import Field, Form, ValidationError

ID_MAX = 2**31 - 1  # the largest PostgreSQL integer: every id column and filter fits
PAGE_MAX = 1_000_000  # far beyond any list's last page; larger page numbers are refused
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)


class IdConverter(IntegerConverter):
    """`<int:...>` limited to 1 .. ID_MAX: anything else does not match, so the route is 404."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    """Must run before any blueprint is registered: rules bind their converter when added."""
    app.url_map.converters["int"] = IdConverter


def int_arg(name: str, default: int | None = None, *, maximum: int = ID_MAX) -> int | None:
    """A whole-number query argument: `default` when missing or not a number, 400 when out of
    1 .. `maximum` (so a twenty-digit page or id never reaches the database)."""
    raw = request.args.get(name, "").strip()
    if not raw.isascii() or not raw.isdigit():
        return default
    if len(raw) > len(str(maximum)) or not 1 <= int(raw) <= maximum:
        abort(400)
    return int(raw)


def form_ids(name: str) -> list[int]:
    """The ids ticked in a form's repeated field `name`: only whole numbers in 1 .. ID_MAX are
    kept (anything else cannot be a row), so a hostile value never reaches the database."""
    return [
        int(raw)
        for raw in request.form.getlist(name)
        if raw.isascii()
        and raw.isdigit()
        and len(raw) <= len(str(ID_MAX))
        and 1 <= int(raw) <= ID_MAX
    ]


def page_arg() -> int:
    """The `page` query argument: 1 when missing, 400 beyond PAGE_MAX."""
    return int_arg("page", 1, maximum=PAGE_MAX) or 1


def date_in_range(form: Form, field: Field) -> None:
    """WTForms validator: a date between DATE_MIN and DATE_MAX, else a message on the field."""
    if isinstance(field.data, date) and not DATE_MIN <= field.data <= DATE_MAX:
        raise ValidationError(
            f"{field.label.text} must be between {DATE_MIN.year} and {DATE_MAX.year}"
        )
