"""What `warranty` lets the apps above it add (they connect in their `AppConfig.ready()`)."""

from aftercare.lib.hooks import Hook

# claim_decided.fire(claim=..., actor=...): a warranty claim was just approved or rejected
# (`claim.status` says which), fired inside the transaction of the decision, whichever way it
# was taken (the work order page, the warranty API). A receiver's error undoes the decision.
# Repairs connects the work order that carries the claim: its billing and its request's
# timeline follow the decision.
claim_decided = Hook(
    "claim_decided",
    doc="Each receiver is called with the decided claim and the actor, in its transaction.",
)
