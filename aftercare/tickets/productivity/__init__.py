"""Agent productivity: canned answers, macros, saved views of the queue, bulk actions and merging
duplicate requests. Its models belong to the `tickets` app (`tickets/models.py` imports them)."""
