"""The kinds of documents in the index, registered by the apps that put them in.

`search` sits below every app it finds things of, so it cannot import them: each app registers
its kind at start-up (its `AppConfig.ready`) with how to show its hits and how to give all its
documents again (`search_reindex`).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise

from aftercare.accounts.permissions import Level, page_requirement, role_allows
from aftercare.search.services import Document


@dataclass(frozen=True)
class Shown:
    """One hit as a result list shows it: a title, where it opens, a few short facts (number,
    status, customer...), and the texts a snippet is cut from, in the order they are tried."""

    title: str
    url: str
    facts: Sequence[str] = ()
    texts: Sequence[str] = ()


@dataclass(frozen=True)
class Kind:
    """A kind of document. `show(organization_id, object_ids, viewer)` answers {object id:
    Shown} for the objects it can still show (viewer is "staff" or "customer": where the result
    opens differs); `documents(organization_id)` yields batches of every document of the kind,
    of one organization or of all (None)."""

    name: str
    label: str | Promise
    show: Callable[[int, Sequence[int], str], dict[int, Shown]]
    documents: Callable[[int | None], Iterator[Sequence[Document]]]
    # The console page (URL name) a staff member's hit opens: members the permission matrix
    # does not let open it do not find this kind at all.
    page: str = ""
    # Staff searches list the kinds in this order.
    position: int = 100
    states: Sequence[tuple[str, str | Promise]] = field(default_factory=tuple)


_KINDS: dict[str, Kind] = {}


def kind_register(kind: Kind) -> None:
    """Register a kind (once per name; registering it again replaces it)."""
    _KINDS[kind.name] = kind


def kinds(*, role: str | None = None) -> list[Kind]:
    """The registered kinds, in their order; with `role`, those whose page that role may open."""
    found = sorted(_KINDS.values(), key=lambda kind: (kind.position, kind.name))
    if role is None:
        return found
    return [kind for kind in found if not kind.page or _opens(role, kind.page)]


def _opens(role: str, url_name: str) -> bool:
    requirement = page_requirement(url_name)
    return isinstance(requirement, Level) and role_allows(role, requirement)


def kind_get(name: str) -> Kind | None:
    return _KINDS.get(name)


def documents_in_batches(
    queryset: QuerySet,
    documents: Callable[[list], Sequence[Document]],
    organization_id: int | None,
    *,
    size: int = 500,
) -> Iterator[Sequence[Document]]:
    """A kind's `documents`: the rows of `queryset` (of one organization, or all) in batches of
    `size` by primary key, each batch made into documents by `documents` (which may read what
    the whole batch needs in one query)."""
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield documents(rows)
        last = rows[-1].pk
