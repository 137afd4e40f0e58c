"""The actions blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("actions", __name__)
