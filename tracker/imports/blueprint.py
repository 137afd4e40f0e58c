"""The imports blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("imports", __name__)
