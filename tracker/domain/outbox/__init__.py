"""Email through the outbox: queued inside the caller's transaction, sent after commit.

queue     the one way to queue email (one row per recipient, kind and period)
delivery  claiming, sending once, backing off and retrying; the admins' overview
"""
