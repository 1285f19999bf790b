"""The search index's one model: which object an indexed document stands for.

The words themselves live where each database searches them best, beside this table: an FTS5
table on SQLite (`search_fts`, its rowid this model's id) and a weighted `tsvector` column with a
GIN index on PostgreSQL (`search_searchentry.vector`). Both are made by this app's migrations and
written only by `aftercare.search.backends`; the model does not declare them, so the ORM never
reads or writes them.
"""

from django.db import models
from django.utils import timezone

from aftercare.accounts.models import Organization


class Audience(models.TextChoices):
    """Who may find a document: staff only, signed-in customers as well, or anyone."""

    STAFF = "staff"
    CUSTOMER = "customer"
    PUBLIC = "public"


class SearchEntry(models.Model):
    """One document of the index: one request, customer, unit or article translation.

    `kind` and `object_id` name the object (kinds are registered by the apps that index them,
    `aftercare.search.kinds`). The columns after them are the filters a search may ask for; the
    same values are words of the FTS5 table's `scope` column on SQLite, so that a filter is part
    of the one full-text lookup there. Entries are replaced, never edited in place, by
    `services.search_entry_put`, and taken out by `services.search_entry_remove` (the index is
    derived data: removing an entry loses nothing that its object does not still hold).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.STAFF)
    # The customer a document belongs to (a request, a unit, the customer itself), if any.
    customer_id = models.BigIntegerField(null=True, blank=True)
    # A state a search may be narrowed to: a request's status, an article's draft/published.
    state = models.CharField(max_length=24, blank=True)
    language = models.CharField(max_length=8, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")
        ]
        indexes = [
            models.Index(fields=["organization", "kind", "-id"], name="search_entry_org_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
