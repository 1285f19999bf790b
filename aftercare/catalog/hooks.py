"""What `catalog` lets the apps above it add (they connect in their `AppConfig.ready()`)."""

from aftercare.lib.hooks import Hook

# product_model_renamed.fire(product_model=...): a model's name, brand or SKU changed, in the
# transaction of the change (the search index's documents of its units and requests hold them).
product_model_renamed = Hook(
    "product_model_renamed",
    doc="Each receiver is called with the product model whose name, brand or SKU changed.",
)
