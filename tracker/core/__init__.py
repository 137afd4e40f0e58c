"""The web core every feature shares: who is asking (access), the one way a view changes
state (changes), form choices, account emails, error pages, security headers, template helpers."""
