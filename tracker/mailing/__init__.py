"""Email outside the domain: rendering every email from templates/email and sending the outbox.

rendering  the one email renderer (plain Jinja, StrictUndefined: a typo fails, never renders empty)
sender     SMTP and .eml transports; deliver_outbox(), run by the scheduler's outbox job and commands, never by a web worker
"""
