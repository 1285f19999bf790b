"""Every write to agents' routing profiles: presence, capacity and skills."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, User
from aftercare.catalog.models import ProductModel
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language, language_codes
from aftercare.lib.unset import UNSET, Unset
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.routing.services import dispatch_soon

CAPACITY_MAX = 10_000


def _check_member(*, organization: Organization, user: User) -> None:
    is_staff = Membership.objects.filter(
        organization=organization, user=user, is_active=True
    ).exists()
    if not is_staff:
        raise ApplicationError(_("No such member in this organization."), field="user_id")


def agent_profile_get(*, organization: Organization, user: User) -> AgentProfile:
    """The member's routing profile, created with the defaults when it does not exist yet."""
    _check_member(organization=organization, user=user)
    profile, _created = AgentProfile.objects.get_or_create(organization=organization, user=user)
    return profile


@transaction.atomic
def agent_profile_update(
    *,
    organization: Organization,
    user: User,
    presence: str | Unset = UNSET,
    capacity: int | None | Unset = UNSET,
    languages: Iterable[str] | Unset = UNSET,
    product_models: Iterable[ProductModel] | Unset = UNSET,
) -> AgentProfile:
    """Change a member's presence, capacity or skills; waiting requests are offered again."""
    if presence is not UNSET and presence not in AgentProfile.Presence.values:
        raise ApplicationError(_("Choose available or away."), field="presence")
    if capacity is not UNSET and capacity is not None:
        valid = isinstance(capacity, int) and not isinstance(capacity, bool)
        if not valid or not 0 <= capacity <= CAPACITY_MAX:
            raise ApplicationError(
                _("Enter a capacity from 0 to %(max)s, or leave it empty.") % {"max": CAPACITY_MAX},
                field="capacity",
            )
    if languages is not UNSET:
        unknown = [language for language in languages or [] if not is_language(language)]
        if unknown:
            raise ApplicationError(_("Unknown language."), field="languages")
        languages = [language for language in language_codes() if language in (languages or [])]
    if product_models is not UNSET:
        product_models = list(product_models or [])
        if any(product.organization_id != organization.pk for product in product_models):
            raise ApplicationError(_("No such product."), field="product_model_ids")
    profile = agent_profile_get(organization=organization, user=user)
    profile = AgentProfile.objects.select_for_update().get(pk=profile.pk)
    frees_up = False
    if presence is not UNSET and presence != profile.presence:
        frees_up = frees_up or presence == AgentProfile.Presence.AVAILABLE
        profile.presence = presence
        profile.presence_changed_at = timezone.now()
    if capacity is not UNSET:
        frees_up = frees_up or capacity is None or (profile.capacity or 0) < capacity
        profile.capacity = capacity
    if languages is not UNSET:
        frees_up = True
        profile.languages = languages
    profile.save()
    if product_models is not UNSET:
        profile.product_models.set(product_models)
        frees_up = True
    if frees_up:
        dispatch_soon(organization_id=organization.pk)
    return profile
