"""Put every document of every kind in the search index again: after an upgrade that brought
the index (or a change of what a kind's document holds). Safe to run at any time and more than
once: a document replaces the one it had, in batches, each in its own transaction."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aftercare.search.kinds import kind_get, kinds
from aftercare.search.models import SearchEntry
from aftercare.search.services import search_documents_put


class Command(BaseCommand):
    help = "Rebuild the search index from the requests, customers, units and articles."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", action="append", default=[], help="Only this kind.")
        parser.add_argument("--organization", type=int, help="Only this organization's id.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the index holds anything (for start-up scripts).",
        )

    def handle(self, *args, kind: list[str], organization: int | None, if_empty: bool, **options):
        if if_empty and SearchEntry.objects.exists():
            return
        chosen = []
        for name in kind:
            found = kind_get(name)
            if found is None:
                names = ", ".join(k.name for k in kinds())
                raise CommandError(f"Unknown kind {name!r}; the kinds are: {names}.")
            chosen.append(found)
        for each in chosen or kinds():
            started, count = time.monotonic(), 0
            for batch in each.documents(organization):
                with transaction.atomic():
                    search_documents_put(batch)
                count += len(batch)
            if count or not if_empty:
                self.stdout.write(
                    f"search index: {count} {each.name} documents "
                    f"in {time.monotonic() - started:.1f} s"
                )
