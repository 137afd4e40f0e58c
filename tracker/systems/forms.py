"""The sharing buttons: only the CSRF token is needed."""

from flask_wtf import FlaskForm


class ShareForm(FlaskForm):
    """Share a round's results with the system, or withdraw them."""
