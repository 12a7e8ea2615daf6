"""Clinical rules: small, separately tested units that return reports rather than raise."""
