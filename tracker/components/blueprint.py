"""The components blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("domains", __name__)
