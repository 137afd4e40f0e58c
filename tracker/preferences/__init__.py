"""A signed-in user's email preferences (monthly or weekly reminder digest)."""
