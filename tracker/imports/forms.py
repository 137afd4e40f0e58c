"""The round upload form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tracker.core.input_ranges import date_in_range

DATE_HINT = "Use the format YYYY-MM-DD, for example 2025-06-01"


class ImportForm(FlaskForm):
    file = FileField(
        "Results file (text, CSV or XLSX)",
        validators=[FileRequired("Choose the file with the round's results")],
    )
    round_name = StringField(
        "Round name",
        validators=[DataRequired("Enter a name for the round"), Length(max=120)],
    )
    held_on = DateField(
        "Date of the round (optional, today if empty)",
        validators=[Optional(), date_in_range],
        invalid_value_message="Date of the round must be a real date in the format YYYY-MM-DD",
    )
    next_round_on = DateField(
        "Date of the next round (optional)",
        validators=[Optional(), date_in_range],
        invalid_value_message="Date of the next round must be a real date in the format YYYY-MM-DD",
    )
    sheet = StringField("Sheet name (XLSX only, optional)", validators=[Length(max=31)])
    replace = BooleanField("Replace the scores if this round already has different ones")
