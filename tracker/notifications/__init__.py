"""Admin page for the email outbox: failed and pending notifications, and retrying them."""
