"""Forms on the action page: status, progress, assignment and milestones."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from tracker.core.date_input import DateInputField
from tracker.core.versions import VersionedForm
from tracker.models import ActionStatus, Priority

STATUS_CHOICES = [(s.value, s.value.replace("_", " ").capitalize()) for s in ActionStatus]
PRIORITY_CHOICES = [(p.value, p.value.capitalize()) for p in Priority]


def date_field(label: str, required: bool = True) -> DateInputField:
    """A date typed as day, month and year (the NHS.UK date input)."""
    return DateInputField(label, required=required)


class StatusForm(VersionedForm):
    status = SelectField("Status", choices=STATUS_CHOICES)


class AssignForm(VersionedForm):
    owner = SelectField(
        "Owner",
        coerce=int,
        validators=[InputRequired("Choose an owner")],
        invalid_choice_message="Choose a person from the list",
    )
    due_on = date_field("Due date (optional)", required=False)
    priority = SelectField("Priority", choices=PRIORITY_CHOICES)


class ProgressForm(FlaskForm):
    percent = IntegerField(
        "Estimated percentage done",
        validators=[
            InputRequired("Enter a percentage between 0 and 100"),
            NumberRange(0, 100, "Enter a percentage between 0 and 100"),
        ],
    )
    note = TextAreaField(
        "How is it going?",
        validators=[DataRequired("Enter a note saying how the work is going"), Length(max=5000)],
    )


class MilestoneForm(FlaskForm):
    title = StringField(
        "Milestone", validators=[DataRequired("Enter what the milestone is"), Length(max=300)]
    )
    weight = IntegerField(
        "Weight (how much of the action it represents, 1 to 100)",
        default=1,
        validators=[
            InputRequired("Enter a weight from 1 to 100"),
            NumberRange(1, 100, "Weight must be a whole number from 1 to 100"),
        ],
    )
    due_on = date_field("Due date")


class TickForm(VersionedForm):
    done = HiddenField()


class ReplanForm(VersionedForm):
    due_on = date_field("New due date")
    reason = TextAreaField(
        "Reason for the change",
        validators=[DataRequired("Enter the reason for re-planning"), Length(max=2000)],
    )
