"""Admin pages: users and roles, component leads, the framework, rounds and the audit trail."""
