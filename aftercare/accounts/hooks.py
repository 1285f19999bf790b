"""What `accounts` tells the apps above it (they connect in their `AppConfig.ready()`)."""

from aftercare.lib.hooks import Hook

# Fired inside the transaction that made `team` (an active team) give its requests to agents
# automatically, so that requests waiting in its queue can be offered to them.
team_assigns_automatically = Hook(
    "team_assigns_automatically",
    doc="team_assigns_automatically.fire(team=...): a team now routes its queue to agents.",
)
