"""Forms for adding an organisation (with its first admin) and a system."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class OrganisationForm(FlaskForm):
    code = StringField(
        "ODS code",
        validators=[
            DataRequired("Enter the organisation's ODS code"),
            Length(max=12, message="ODS code must be 12 characters or fewer"),
        ],
    )
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the organisation's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    system = SelectField("Integrated care system", choices=[], validate_choice=True)
    admin_name = StringField(
        "First admin's full name",
        validators=[
            DataRequired("Enter the first admin's full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = EmailField(
        "First admin's email address",
        validators=[
            DataRequired("Enter the first admin's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )


class SystemForm(FlaskForm):
    code = StringField(
        "ODS code",
        validators=[
            DataRequired("Enter the system's ODS code"),
            Length(max=12, message="ODS code must be 12 characters or fewer"),
        ],
    )
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the system's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
