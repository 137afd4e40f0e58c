"""The preferences blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("preferences", __name__, url_prefix="/account")
