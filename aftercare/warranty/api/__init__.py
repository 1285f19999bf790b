"""API v1 of the warranty app: units, coverage and contracts, one router each."""
