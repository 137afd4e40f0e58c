"""Scheduled jobs' bookkeeping in the database.

runs  which job completed for which period (run records, committed with the job's work)

The locks that keep a job to one process at a time take their own connections, so they live
outside the domain, in tracker/scheduling/locks.py.
"""
