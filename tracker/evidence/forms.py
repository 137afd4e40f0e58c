"""Evidence forms: a file, a link, a note, the director's review, and withdrawing."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.core.versions import VersionedForm


class EvidenceForm(FlaskForm):
    title = StringField("Title (optional)", validators=[Optional(), Length(max=300)])
    milestone_id = SelectField("Milestone it shows (optional)", coerce=int, default=0)


class FileEvidenceForm(EvidenceForm):
    file = FileField("File")


class LinkEvidenceForm(EvidenceForm):
    url = StringField(
        "Web address", validators=[DataRequired("Enter a web address"), Length(max=2000)]
    )


class NoteEvidenceForm(EvidenceForm):
    note = TextAreaField("Note", validators=[DataRequired("Enter the note"), Length(max=5000)])


class ReviewForm(VersionedForm):
    decision = RadioField(
        "Decision",
        choices=[("accepted", "Accept"), ("rejected", "Reject")],
        validators=[InputRequired("Choose whether to accept or reject the evidence")],
    )
    note = TextAreaField("Note for the owner", validators=[Length(max=2000)])


class WithdrawForm(FlaskForm):
    """The withdraw button: no fields, only its CSRF token (and a refusal's message)."""
