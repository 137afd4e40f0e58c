"""The notifications blueprint; its routes live in the modules that import it."""

from flask import Blueprint

# The admin outbox lives under /admin/notifications; each person's own list at /notifications.
blueprint = Blueprint("notifications", __name__)
