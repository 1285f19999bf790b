"""Who may open a portal page: anyone, on the organization named in the address, or only a
customer of that organization who is signed in."""

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from aftercare.accounts.middleware import activate_organization_time_zone
from aftercare.accounts.models import Organization
from aftercare.accounts.selectors import organization_get_by_slug
from aftercare.customers.selectors import customer_for_portal_user


def _organization(request: HttpRequest, org_slug: str) -> Organization:
    """The organization named in the URL (404 if unknown), its time zone made the request's."""
    organization = organization_get_by_slug(slug=org_slug)
    activate_organization_time_zone(request, organization)
    return organization


def portal_page(view):
    """Resolve the organization named in the URL (404 if unknown) for a portal page."""

    @wraps(view)
    def wrapper(request: HttpRequest, org_slug: str, *args, **kwargs) -> HttpResponse:
        return view(request, _organization(request, org_slug), *args, **kwargs)

    return wrapper


def customer_page(view):
    """Let only a customer of the organization named in the URL in (anyone else goes to its
    sign-in page); the view gets the organization and the customer."""

    @wraps(view)
    def wrapper(request: HttpRequest, org_slug: str, *args, **kwargs) -> HttpResponse:
        organization = _organization(request, org_slug)
        customer = customer_for_portal_user(organization=organization, user=request.user)
        if customer is None:
            return redirect("portal:login", org_slug=organization.slug)
        return view(request, organization, customer, *args, **kwargs)

    return wrapper
