"""The portal's 404 page: an address under an organization's portal that leads nowhere, shown in
that portal's frame and the reader's language."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aftercare.accounts.selectors import organization_get_by_slug
from aftercare.customers.selectors import customer_for_portal_user

PREFIX = "/portal/"


def portal_not_found(request: HttpRequest) -> HttpResponse | None:
    """The portal's page for a missing address under a known organization's portal; None when
    the address names no organization (the caller shows the general page)."""
    slug = request.path[len(PREFIX) :].split("/", 1)[0]
    if not slug:
        return None
    try:
        organization = organization_get_by_slug(slug=slug)
    except Http404:
        return None
    user = getattr(request, "user", None)
    customer = (
        customer_for_portal_user(organization=organization, user=user) if user is not None else None
    )
    context = {"organization": organization, "customer": customer, "section": "not_found"}
    return render(request, "portal/not_found.html", context, status=404)
