"""What the catalog's routers share: the list filters."""

from typing import Literal

from ninja import Field

from aftercare.api.schemas import PageQuery, Text


class CatalogListQuery(PageQuery):
    """Filters of a catalog list: a search and whether inactive rows are included."""

    search: Text(200) = Field("", description="What to look for.")
    status: Literal["active", "inactive", "all"] = Field(
        "active", description="Active rows (the default), inactive ones, or all."
    )
