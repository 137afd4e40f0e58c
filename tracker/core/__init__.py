"""Pages and plumbing every feature shares: home, health check, assets, headers, errors."""
