"""Domain page forms: bulk assignment and reassigning a leaver's actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget


class BulkAssignForm(FlaskForm):
    action_ids = SelectMultipleField(
        "Actions",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    owner = SelectField("New owner", coerce=int, validators=[InputRequired("Choose an owner")])


class LeaverForm(FlaskForm):
    leaver = SelectField(
        "Person leaving", coerce=int, validators=[InputRequired("Choose who is leaving")]
    )
    new_owner = SelectField(
        "New owner", coerce=int, validators=[InputRequired("Choose the new owner")]
    )
