"""The scheduler side: what each job does and when, the one scheduler process, and the locks
that keep each job to one process at a time.

jobs      the jobs, run_job() (lock, sweep, record the run, commit once, deliver), the scheduler
triggers  first-weekday and wall-clock-once triggers in Europe/London time
locks     job locks: PostgreSQL advisory locks or SQLite lease rows, on their own connections
"""
