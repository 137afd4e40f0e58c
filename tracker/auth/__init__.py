"""Signing in and out, invitations, password resets and session revocation."""
