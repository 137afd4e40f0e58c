"""Admin upload page for importing a self-assessment round."""
