"""What `inventory` lets the apps above it add (they connect in their `AppConfig.ready()`)."""

from aftercare.lib.hooks import Hook

# stock_low.fire(level_id=...): once the transaction that brought a level's free stock (on hand
# less reserved) to or below its reorder point commits, and once per fall: the level's
# `low_since` stays set until free stock rises above the point again. The receiver tells the
# location's stock keeper (the level's location has `keeper`).
stock_low = Hook(
    "stock_low",
    doc="Called with level_id= when a stock level's free stock falls to its reorder point.",
)
