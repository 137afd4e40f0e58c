"""The home blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("home", __name__)
