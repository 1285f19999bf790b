"""Console pages for customers: the list, a customer's page, and creating or editing one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.customers.forms import CustomerForm
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_get
from aftercare.customers.services import customer_create, customer_update
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page
from aftercare.tickets.console import (
    apply_error,
    console_view,
    customer_search,
    query_with,
    render_console,
)
from aftercare.tickets.selectors import ticket_list

CUSTOMER_PAGE_SIZE = 50
CUSTOMER_TICKETS_PAGE_SIZE = 25


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
        "next_url": "?" + query_with(request.GET, cursor=page.next_cursor)
        if page.next_cursor
        else "",
    }
    status = 422 if error else 200
    return render_console(request, membership, "customers/list.html", context, status=status)


@console_view()
def customer_detail_view(
    request: HttpRequest, membership: Membership, customer_id: int
) -> HttpResponse:
    """A customer: details, contact points, preferences and their requests, newest first."""
    customer = customer_get(organization=membership.organization, customer_id=customer_id)
    cursor = request.GET.get("cursor") or None
    error = ""
    try:
        page = ticket_list(
            organization=membership.organization,
            queue="all",
            customer_id=customer.pk,
            sort="-created",
            cursor=cursor,
            limit=CUSTOMER_TICKETS_PAGE_SIZE,
        )
    except ApplicationError as problem:
        page, error = Page(items=[], next_cursor=None), problem.message
    context = {
        "customer": customer,
        "tickets": page.items,
        "error": error,
        "next_url": "?" + query_with(request.GET, cursor=page.next_cursor)
        if page.next_cursor
        else "",
    }
    status = 422 if error else 200
    return render_console(request, membership, "customers/detail.html", context, status=status)


@console_view(write=True)
def customer_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new customer with their contact points."""
    form = CustomerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
                notes=data["notes"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Customer %(name)s added.") % {"name": customer.name})
            return redirect("customers:detail", customer_id=customer.pk)
    status = 422 if request.method == "POST" else 200
    return render_console(
        request, membership, "customers/form.html", {"form": form, "customer": None}, status=status
    )


def _initial(customer: Customer) -> dict:
    """The edit form filled from the customer's profile."""
    return {
        "name": customer.name,
        "company": customer.company,
        "preferred_language": customer.preferred_language,
        "preferred_channel": customer.preferred_channel,
        "notes": customer.notes,
    }


@console_view(write=True)
def customer_edit_view(
    request: HttpRequest, membership: Membership, customer_id: int
) -> HttpResponse:
    """Change a customer's profile and add contact points."""
    customer = customer_get(organization=membership.organization, customer_id=customer_id)
    form = CustomerForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(customer),
        adding=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer_update(
                customer=customer,
                name=data["name"],
                company=data["company"],
                preferred_language=data["preferred_language"],
                preferred_channel=data["preferred_channel"],
                notes=data["notes"],
                add_emails=form.contact_values("email"),
                add_phones=form.contact_values("phone"),
                add_telegram=form.contact_values("telegram"),
                add_whatsapp=form.contact_values("whatsapp"),
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Customer saved."))
            return redirect("customers:detail", customer_id=customer.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "customer": customer}
    return render_console(request, membership, "customers/form.html", context, status=status)
