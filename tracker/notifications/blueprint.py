"""The notifications blueprint; its routes live in the modules that import it."""

from flask import Blueprint

blueprint = Blueprint("notifications", __name__, url_prefix="/admin/notifications")
