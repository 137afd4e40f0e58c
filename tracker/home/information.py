"""The pages every service needs, open to everyone, signed in or not: about this service, the
accessibility statement, the privacy notice and the cookies page (linked from the footer)."""

from __future__ import annotations

from flask import render_template

from tracker.home.blueprint import blueprint


@blueprint.get("/about")
def about() -> str:
    """What the service is; unlike the home page, it never sends signed-in people elsewhere."""
    return render_template("home/about.html")


@blueprint.get("/accessibility")
def accessibility() -> str:
    return render_template("home/accessibility.html")


@blueprint.get("/privacy")
def privacy() -> str:
    return render_template("home/privacy.html")


@blueprint.get("/cookies")
def cookies() -> str:
    return render_template("home/cookies.html")
