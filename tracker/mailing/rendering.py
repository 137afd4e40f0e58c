"""The one email renderer: every email (account emails, digests, escalations, notices) is
rendered from templates/email/<kind>.txt and .html by the same plain Jinja environment.

StrictUndefined makes a misspelt variable an error in the tests instead of empty text in an
email; HTML is autoescaped, text is not. It needs no Flask app, so jobs and the CLI use it too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from config import ROOT
from tracker.domain.dates import format_date

EMAIL_TEMPLATES = ROOT / "templates" / "email"


class EmailRenderer:
    """Renders (kind, context) into (text body, HTML body): a tracker.domain Renderer."""

    def __init__(self, directory: str | Path = EMAIL_TEMPLATES) -> None:
        self.environment = Environment(
            loader=FileSystemLoader(str(directory)),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["day"] = format_date

    def __call__(self, kind: str, context: dict[str, object]) -> tuple[str, str]:
        text = self.environment.get_template(f"{kind}.txt").render(context)
        html = self.environment.get_template(f"{kind}.html").render(context)
        return text, html


@cache
def email_renderer() -> EmailRenderer:
    """The renderer for the shipped templates, built once per process."""
    return EmailRenderer()
