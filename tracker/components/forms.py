"""Domain page forms: bulk assignment and reassigning a leaver's actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.date_input import DateInputField
from tracker.models import Priority

KEEP = ""  # the priority choice that leaves each action's own
PRIORITY_CHOICES = [(KEEP, "Keep each action's priority")] + [
    (p.value, p.value.capitalize()) for p in Priority
]


class BulkAssignForm(FlaskForm):
    action_ids = SelectMultipleField(
        "Actions",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    owner = SelectField(
        "New owner",
        coerce=int,
        validators=[InputRequired("Choose an owner")],
        invalid_choice_message="Choose a person from the list",
    )
    due_on = DateInputField("Due date (optional)", required=False)
    priority = SelectField(
        "Priority",
        choices=PRIORITY_CHOICES,
        default=KEEP,
        invalid_choice_message="Choose a priority from the list",
    )


class LeaverForm(FlaskForm):
    leaver = SelectField(
        "Person leaving", coerce=int, validators=[InputRequired("Choose who is leaving")]
    )
    new_owner = SelectField(
        "New owner", coerce=int, validators=[InputRequired("Choose the new owner")]
    )
