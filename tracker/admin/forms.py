"""Admin forms. Every field says clearly what is wrong when the input is not usable."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.core.date_input import DateInputField
from tracker.core.input_ranges import ID_MAX
from tracker.models import Role

ROLE_CHOICES = [
    (Role.ADMIN.value, "Admin: manages users, rounds and the framework; sees everything"),
    (Role.DIRECTOR.value, "Director: leads components, assigns actions, reviews evidence"),
    (Role.OWNER.value, "Action owner: updates the actions they own"),
    (Role.VIEWER.value, "Viewer: reads dashboards and reports"),
    (
        Role.SYSTEM_VIEWER.value,
        "System viewer: sees only the results partners in your system chose to share",
    ),
]


def day_field(label: str, *, required: bool) -> DateInputField:
    """A date typed as day, month and year (the NHS.UK date input)."""
    return DateInputField(label, required=required)


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is needed."""


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        validators=[
            DataRequired("Enter the person's full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    # Nothing chosen at first: an admin picks the role on purpose, never Admin by default.
    role = SelectField(
        "Role",
        choices=[("", "Choose a role"), *ROLE_CHOICES],
        validators=[DataRequired("Choose a role for the person you are inviting")],
        invalid_choice_message="Choose one of the roles listed",
    )


class RoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=ROLE_CHOICES,
        validators=[DataRequired("Choose a role")],
        invalid_choice_message="Choose one of the roles listed",
    )


class LeadForm(FlaskForm):
    component = SelectField(
        "Component",
        coerce=int,
        validators=[DataRequired("Choose a component")],
        invalid_value_message="Choose one of the components listed",
        invalid_choice_message="Choose one of the components listed",
    )
    user = SelectField(
        "Director",
        coerce=int,
        validators=[DataRequired("Choose a director")],
        invalid_value_message="Choose one of the directors listed",
        invalid_choice_message="Choose one of the directors listed",
    )


class RoundForm(FlaskForm):
    name = StringField(
        "Round name",
        validators=[
            DataRequired("Enter a name for the round"),
            Length(max=120, message="Round name must be 120 characters or fewer"),
        ],
    )
    held_on = day_field("Date held", required=True)
    next_round_on = day_field("Next round date", required=False)


class AuditFilterForm(FlaskForm):
    """The audit trail's filters, sent by GET (so no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    actor = SelectField("Who", choices=[("", "Anyone")], validate_choice=False)
    entity = SelectField("What kind of record", choices=[("", "Anything")], validate_choice=False)
    verb = SelectField("What happened", choices=[("", "Anything")], validate_choice=False)
    date_from = day_field("From date", required=False)
    date_to = day_field("To date", required=False)

    def validate_date_to(self, field: DateInputField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("To date must be the same as or after the from date")

    def validate_actor(self, field: SelectField) -> None:
        value = str(field.data or "")
        if value and not (value.isascii() and value.isdigit() and 1 <= int(value) <= ID_MAX):
            raise ValidationError("Choose a person from the list")
