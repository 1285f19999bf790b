"""What `customers` lets the apps above it add (they connect in their `AppConfig.ready()`)."""

from dataclasses import dataclass, field

from aftercare.lib.hooks import Hook


@dataclass(frozen=True)
class CustomerPanel:
    """A part of the customer page that an app above customers fills, e.g. their requests.

    `template` is rendered in the page's main column and `actions_template` (if any) beside the
    page's own buttons; both see the page's context plus `panel`, whose `context` is theirs. A
    panel that could not read what the page's query asked for says so with `status` 422.
    """

    template: str
    context: dict = field(default_factory=dict)
    actions_template: str = ""
    status: int = 200


# customer_page_panels.collect(request=..., membership=..., customer=...) -> [CustomerPanel]
customer_page_panels = Hook(
    "customer_page_panels",
    doc="Each receiver returns the CustomerPanel it adds to a customer's page.",
)


# customer_renamed.fire(customer=...): a customer's name or company changed, in the transaction
# of the change (the documents of their requests in the search index hold it).
customer_renamed = Hook(
    "customer_renamed",
    doc="Each receiver is called with the customer whose name or company changed.",
)
