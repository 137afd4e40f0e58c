"""Emails about one change each (an action assigned, evidence not accepted), queued in the
outbox inside the change's transaction, once per event and only for people who want them."""

from tracker.domain.notices.changes import (
    Notifier,
    queue_assignment_notices,
    queue_rejection_notices,
)

__all__ = ["Notifier", "queue_assignment_notices", "queue_rejection_notices"]
