"""What repairs tells people outside a request's own notices: a stock keeper, when a part at
their location falls to its reorder point (`inventory.hooks.stock_low`, connected by
`RepairsConfig.ready()`: inventory sits beside notifications and cannot queue notices
itself)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.inventory.models import StockLevel
from aftercare.notifications.models import Notice
from aftercare.notifications.services import notice_queue


def stock_low_notify(*, level_id: int) -> Notice | None:
    """Tell the location's stock keeper that a part's free stock fell to its reorder point:
    once per fall (the level's `low_since` names it), in the keeper's language."""
    level = (
        StockLevel.objects.select_related("location__keeper", "part", "organization")
        .filter(pk=level_id)
        .first()
    )
    if level is None or level.location.keeper is None:
        return None
    keeper = level.location.keeper
    organization = level.organization
    is_member = Membership.objects.filter(
        organization=organization, user=keeper, is_active=True
    ).exists()
    if not is_member or not keeper.is_active or not keeper.email:
        return None
    language = keeper.language or organization.default_language or settings.LANGUAGE_CODE
    free = level.on_hand - level.reserved
    with translation.override(language):
        part = f"{level.part.sku} {level.part.name_in(language)}"
        subject = _("%(part)s at %(location)s") % {"part": part, "location": level.location.name}
        lines = [
            _("Free: %(free)s (on hand %(on_hand)s, reserved %(reserved)s)")
            % {"free": free, "on_hand": level.on_hand, "reserved": level.reserved},
            _("Reorder point: %(point)s") % {"point": level.reorder_point},
        ]
        if level.reorder_quantity:
            lines.append(_("Reorder quantity: %(quantity)s") % {"quantity": level.reorder_quantity})
    since = (level.low_since or timezone.now()).isoformat()
    with transaction.atomic():
        return notice_queue(
            organization=organization,
            event=Notice.Event.STOCK_LOW,
            recipient=keeper.email,
            language=language,
            key=f"stock_low:{level.pk}:{since}",
            context={
                "reference": "",
                "subject": subject,
                "name": keeper.display_name,
                "organization": organization.name,
                "time_zone": organization.time_zone,
                "url": settings.SITE_URL + reverse("inventory:location", args=[level.location_id]),
                "body": "\n".join(lines),
            },
            user=keeper,
            once=True,
        )
