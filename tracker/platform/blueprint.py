"""The platform blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("platform", __name__, url_prefix="/platform")
