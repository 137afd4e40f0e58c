"""The readiness blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("readiness", __name__)
