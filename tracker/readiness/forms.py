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


class OutcomeForm(VersionedForm):
    """Did this action move its question? Recorded after a re-measurement round."""

    outcome = SelectField(
        "Outcome",
        choices=OUTCOME_CHOICES,
        validators=[InputRequired(OUTCOME_MESSAGE)],
    )
