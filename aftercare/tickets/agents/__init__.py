"""Agents as routing sees them: presence, capacity and skills (languages, products)."""
