"""Pure domain logic: no Flask imports, no commits, no clock or current user of its own.

Every function takes the SQLAlchemy session, the acting user (or None for the system) and the
date or time it should consider "now". Views and jobs commit once; functions raise the typed
errors of tracker.domain.errors, which views turn into form errors.
"""
