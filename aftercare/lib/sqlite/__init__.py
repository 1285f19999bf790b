"""SQLite for several web processes: Django's backend, with writers taking turns (see base.py)."""
