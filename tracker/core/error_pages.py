"""Generic error pages: friendly words, never a traceback outside development."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tracker.extensions import db

MESSAGES = {
    400: ("Sorry, there is a problem with that request", "Check what you entered and try again."),
    403: ("You do not have access to this page", "Ask an administrator if you think you should."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Sorry, that action is not allowed here", "Go back and try again."),
    409: ("Someone else changed this first", "Reload the page to see their changes."),
    410: ("This is no longer available", "It may have been removed. Go back and try again."),
    413: ("The file is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "Wait a few minutes and try again."),
    500: ("Sorry, there is a problem with the service", "Try again later."),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, advice = MESSAGES.get(code, MESSAGES[500])
    return render_template("core/error.html", title=title, advice=detail or advice, code=code), code


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, "Your form expired or was sent from elsewhere. Go back and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        if app.debug:
            raise error
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500)
