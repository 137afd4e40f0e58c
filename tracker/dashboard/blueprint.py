"""The dashboard blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("dashboard", __name__)
