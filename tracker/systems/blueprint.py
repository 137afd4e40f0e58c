"""The systems blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("systems", __name__, url_prefix="/system")
