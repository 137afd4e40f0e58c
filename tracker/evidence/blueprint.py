"""The evidence blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("evidence", __name__)
