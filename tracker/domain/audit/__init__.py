"""The audit trail: every change records who, what, when, and before/after.

recording  writing an audit event (`audit.record(...)`, re-exported here) and diffing values
trail      reading the trail with filters, a page at a time
"""

from tracker.domain.audit.recording import changes, record

__all__ = ["changes", "record"]
