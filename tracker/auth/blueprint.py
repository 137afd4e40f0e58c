"""The auth blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("auth", __name__)
