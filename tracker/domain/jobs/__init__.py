"""Scheduled jobs' bookkeeping: a job runs in one process at a time and records its runs.

locks  job locks (database rows with a lease) and run records per period
"""
