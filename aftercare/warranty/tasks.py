"""The warranty app's background work."""

import functools

from django.db import transaction
from django.tasks import task

from aftercare.warranty.indexing import model_units_index


@task()
def model_units_index_task(*, product_model_id: int) -> int:
    """Put the search documents of a renamed model's units again."""
    return model_units_index(product_model_id=product_model_id)


def model_units_index_soon(*, product_model) -> None:
    """A model's name changed (`catalog.hooks.product_model_renamed`): its units' documents are
    put again by the task worker once the change is committed, as a model may have a great
    many units."""
    transaction.on_commit(
        functools.partial(model_units_index_task.enqueue, product_model_id=product_model.pk)
    )
