"""Forms on the action page: status, progress, assignment and milestones."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from tracker.core.date_input import DateInputField
from tracker.core.versions import VersionedForm
from tracker.models import Priority

SIGN_OFF_CHOICES = [
    ("verified", "Verified: it did what it set out to do"),
    ("partly_effective", "Partly effective"),
    ("not_effective", "Not effective"),
]
PRIORITY_CHOICES = [(p.value, p.value.capitalize()) for p in Priority]


def date_field(label: str, required: bool = True) -> DateInputField:
    """A date typed as day, month and year (the NHS.UK date input)."""
    return DateInputField(label, required=required)


class MoveForm(VersionedForm):
    """A lifecycle move on an action (tracker.domain.actions.lifecycle): which move, a note
    (required for some moves; the domain says which) and, to sign off, the outcome."""

    move = HiddenField()
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)])
    outcome = RadioField("Outcome", choices=SIGN_OFF_CHOICES, validate_choice=False)


class CancelForm(VersionedForm):
    note = TextAreaField(
        "Reason for cancelling",
        validators=[DataRequired("Enter the reason for cancelling the action"), Length(max=2000)],
    )


class WithdrawMilestoneForm(VersionedForm):
    reason = TextAreaField(
        "Reason for withdrawing it",
        validators=[
            DataRequired("Enter the reason for withdrawing the milestone"),
            Length(max=2000),
        ],
    )


class ReviewManyForm(FlaskForm):
    """Accept or reject the evidence ticked on the decisions page, with one note."""

    decision = RadioField(
        "Decision",
        choices=[("accepted", "Accept"), ("rejected", "Reject")],
        validators=[InputRequired("Choose whether to accept or reject the evidence")],
    )
    note = TextAreaField("Note (required to reject)", validators=[Length(max=5000)])


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
