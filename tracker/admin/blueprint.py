"""The admin blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
