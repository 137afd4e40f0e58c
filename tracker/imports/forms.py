"""The round upload form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from tracker.core.date_input import DateInputField


class ImportForm(FlaskForm):
    file = FileField(
        "Results file (text, CSV or XLSX)",
        validators=[FileRequired("Choose the file with the round's results")],
    )
    round_name = StringField(
        "Round name",
        validators=[DataRequired("Enter a name for the round"), Length(max=120)],
    )
    held_on = DateInputField("Date of the round (optional, today if empty)", required=False)
    next_round_on = DateInputField("Date of the next round (optional)", required=False)
    sheet = StringField("Sheet name (XLSX only, optional)", validators=[Length(max=31)])
    replace = BooleanField("Replace the scores if this round already has different ones")
