"""Forms on the readiness pages."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from tracker.core.versions import VersionedForm
from tracker.models import ActionOutcome

OUTCOME_CHOICES = [
    SelectChoice(o.value, o.value.replace("_", " ").capitalize()) for o in ActionOutcome
]
OUTCOME_MESSAGE = "Choose verified, partly effective, not effective or carried forward"


class ChosenSelectField(SelectField):
    """A select offered with a blank first option, so nothing is preselected: leaving it blank
    gets the field's required message rather than WTForms' "Not a valid choice"."""

    def pre_validate(self, form: object) -> None:
        if self.data in (None, ""):
            return  # the InputRequired validator names what is missing
        super().pre_validate(form)


class OutcomeForm(VersionedForm):
    """Did this action move its question? Recorded after a re-measurement round."""

    outcome = ChosenSelectField(
        "Outcome",
        choices=OUTCOME_CHOICES,
        validators=[InputRequired(OUTCOME_MESSAGE)],
    )
