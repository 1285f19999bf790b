"""Console pages for customers: the list, a customer's page, and creating or editing one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.console.pages import (
    console_view,
    form_data,
    form_page,
    next_page_url,
    render_console,
)
from aftercare.customers.forms import CustomerForm
from aftercare.customers.hooks import customer_page_panels
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_get, customer_search
from aftercare.customers.services import customer_create, customer_update
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page

CUSTOMER_PAGE_SIZE = 50


@console_view()
def customer_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Customers, most recently active first, searchable by name or contact point."""
    query = (request.GET.get("q") or "").strip()[:200]
    cursor = request.GET.get("cursor") or None
    error = ""
    try:
        page = customer_search(
            organization=membership.organization,
            query=query,
            cursor=cursor,
            limit=CUSTOMER_PAGE_SIZE,
        )
    except ApplicationError as problem:
        page, error = Page(items=[], next_cursor=None), problem.message
    context = {
        "q": query,
        "customers": page.items,
        "error": error,
        "next_url": next_page_url(request, page),
    }
    status = 422 if error else 200
    return render_console(request, membership, "customers/list.html", context, status=status)


@console_view()
def customer_detail_view(
    request: HttpRequest, membership: Membership, customer_id: int
) -> HttpResponse:
    """A customer: details, contact points, preferences, and what the apps above add (their
    requests, newest first)."""
    customer = customer_get(organization=membership.organization, customer_id=customer_id)
    panels = customer_page_panels.collect(request=request, membership=membership, customer=customer)
    context = {"customer": customer, "panels": panels}
    status = max((panel.status for panel in panels), default=200)
    return render_console(request, membership, "customers/detail.html", context, status=status)


@console_view()
def customer_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new customer with their contact points."""
    form = CustomerForm(form_data(request))

    def save() -> HttpResponse:
        data = form.cleaned_data
        customer = customer_create(
            organization=membership.organization,
            name=data["name"],
            company=data["company"],
            emails=form.contact_values("email"),
            phones=form.contact_values("phone"),
            telegram=form.contact_values("telegram"),
            whatsapp=form.contact_values("whatsapp"),
            preferred_language=data["preferred_language"],
            preferred_channel=data["preferred_channel"],
            tier=data["tier"],
            notes=data["notes"],
        )
        messages.success(request, _("Customer %(name)s added.") % {"name": customer.name})
        return redirect("customers:detail", customer_id=customer.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="customers/form.html",
        context={"customer": None},
    )


def _initial(customer: Customer) -> dict:
    """The edit form filled from the customer's profile."""
    return {
        "name": customer.name,
        "company": customer.company,
        "preferred_language": customer.preferred_language,
        "preferred_channel": customer.preferred_channel,
        "tier": customer.tier,
        "notes": customer.notes,
    }


@console_view()
def customer_edit_view(
    request: HttpRequest, membership: Membership, customer_id: int
) -> HttpResponse:
    """Change a customer's profile and add contact points."""
    customer = customer_get(organization=membership.organization, customer_id=customer_id)
    form = CustomerForm(form_data(request), initial=_initial(customer), adding=True)

    def save() -> HttpResponse:
        data = form.cleaned_data
        customer_update(
            customer=customer,
            name=data["name"],
            company=data["company"],
            preferred_language=data["preferred_language"],
            preferred_channel=data["preferred_channel"],
            tier=data["tier"],
            notes=data["notes"],
            add_emails=form.contact_values("email"),
            add_phones=form.contact_values("phone"),
            add_telegram=form.contact_values("telegram"),
            add_whatsapp=form.contact_values("whatsapp"),
        )
        messages.success(request, _("Customer saved."))
        return redirect("customers:detail", customer_id=customer.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="customers/form.html",
        context={"customer": customer},
    )
