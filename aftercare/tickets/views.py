"""Console pages for service requests: the queues, the ticket page and its actions."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import member_list, team_list
from aftercare.catalog.selectors import product_model_list
from aftercare.console.forms import date_input_value
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_data,
    form_page,
    next_page_url,
    parse_id,
    render_console,
)
from aftercare.customers.hooks import CustomerPanel
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_get, customer_search
from aftercare.customers.services import customer_create
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page
from aftercare.lib.vocabulary import Channel
from aftercare.tickets.attachments import attachment_response
from aftercare.tickets.choices import TRANSITIONS, MessageKind
from aftercare.tickets.forms import (
    AssignForm,
    CategoryCreateForm,
    CategoryEditForm,
    FinalizationForm,
    MessageForm,
    ProductForm,
    QueueFilterForm,
    StatusForm,
    TicketCreateForm,
    TriageForm,
)
from aftercare.tickets.hooks import ticket_page_panels
from aftercare.tickets.models import Ticket
from aftercare.tickets.paths import request_number
from aftercare.tickets.productivity.forms import BulkForm, SavedViewForm
from aftercare.tickets.productivity.selectors import (
    VIEW_FILTERS,
    canned_answers_for_ticket,
    macro_list,
    saved_view_get,
    saved_views_with_counts,
)
from aftercare.tickets.rows import queue_rows
from aftercare.tickets.selectors import (
    DEFAULT_QUEUE,
    QUEUES,
    attachment_get_for_staff,
    category_get,
    category_list,
    category_tree,
    queue_query_arguments,
    tag_list,
    ticket_coverage,
    ticket_get,
    ticket_get_by_number,
    ticket_list,
    ticket_timeline,
)
from aftercare.tickets.services import (
    ticket_assign,
    ticket_create,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.services.categories import category_create, category_update
from aftercare.tickets.sla_display import sla_targets
from aftercare.tickets.suggestions import ticket_suggested_articles
from aftercare.tickets.timeline import timeline_html
from aftercare.warranty.display import coverage_line
from aftercare.warranty.selectors import unit_choices_for_customer


def _assignable(members: list[Membership]) -> list[Membership]:
    """Staff who can be given work: everyone but viewers."""
    return [membership for membership in members if membership.can_write]


@console_view()
def queue_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The agent's queue: mine, unassigned, all open, a team's or all, with filters and sort."""
    organization = membership.organization
    teams = team_list(organization=organization)
    members = member_list(organization=organization)
    query, current_view = _saved_view_query(request, membership)
    queue = query.get("queue") or DEFAULT_QUEUE
    form = QueueFilterForm(query, teams=teams, members=members)
    page = None
    if form.is_valid() and queue not in QUEUES:
        form.add_error(None, _("Unknown queue."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            # The query read as a saved view's filters are (productivity.selectors).
            page = ticket_list(
                organization=organization,
                user=request.user,
                **queue_query_arguments({**data, "queue": queue}),
                search=data["q"],
                cursor=request.GET.get("cursor") or None,
                limit=settings.QUEUE_PAGE_SIZE,
                shape="rows",
            )
        except ApplicationError as error:
            apply_error(form, error, fields={"team_id": "team", "assignee_id": "assignee"})
    context = {
        "form": form,
        "queue": queue,
        "current_team": form.object_for("team") if form.is_valid() else None,
        "teams": teams,
        "rows": queue_rows(page.items, selectable=membership.can_write) if page else [],
        "selectable": membership.can_write,
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": any(query.get(key) for key in ("q", "status", "kind", "priority", "sla")),
        "saved_views": saved_views_with_counts(membership=membership),
        "current_view": current_view,
        "view_filters": [(key, query.get(key)) for key in VIEW_FILTERS if query.get(key)],
        "bulk_form": (
            BulkForm(members=_assignable(members), prefix="bulk") if membership.can_write else None
        ),
        "save_view_form": SavedViewForm(prefix="view"),
        "query_string": request.GET.urlencode(),
    }
    status = 200 if page is not None else 422
    if request.htmx and request.GET.get("cursor"):
        return render_console(
            request, membership, "tickets/queue.html#queue-rows", context, status=status
        )
    return render_console(request, membership, "tickets/queue.html", context, status=status)


def _saved_view_query(request: HttpRequest, membership: Membership):
    """The queue's query: the address's, or a saved view's filters (`?view=`) under it."""
    view_id = request.GET.get("view")
    if not view_id:
        return request.GET, None
    view = saved_view_get(membership=membership, saved_view_id=parse_id(view_id) or 0)
    query = QueryDict(mutable=True)
    query.update(view.filters or {})
    for key, value in request.GET.items():
        if key != "view":
            query[key] = value
    return query, view


def _ticket_forms(ticket: Ticket, lists: dict) -> dict:
    """The unbound action forms of the ticket page, filled from the ticket."""
    return {
        "message_form": MessageForm(),
        "assign_form": AssignForm(
            members=lists["assignable"],
            initial={"assignee_id": str(ticket.assignee_id or "")},
        ),
        "status_form": StatusForm(allowed=sorted(TRANSITIONS[ticket.status])),
        "triage_form": TriageForm(
            categories=lists["categories"],
            teams=lists["teams"],
            initial={
                "priority": ticket.priority,
                "kind": ticket.kind,
                "category_id": str(ticket.category_id or ""),
                "team_id": str(ticket.team_id or ""),
                "tags": ", ".join(ticket.tag_names),
            },
        ),
        "product_form": ProductForm(
            products=lists["products"],
            units=lists["units"],
            initial={
                "unit": str(ticket.unit_id or ""),
                "product_model_id": str(ticket.product_model_id or ""),
                "serial_number": ticket.serial_number,
                "purchase_date": date_input_value(ticket.purchase_date),
                "seller": ticket.seller,
            },
        ),
        "finalization_form": FinalizationForm(
            initial={"resolution": ticket.resolution, "root_cause": ticket.root_cause}
        ),
    }


def _ticket_lists(membership: Membership, ticket: Ticket) -> dict:
    """The organization's lists the ticket page's forms choose from, and the customer's units."""
    organization = membership.organization
    return {
        "assignable": _assignable(member_list(organization=organization)),
        "teams": team_list(organization=organization),
        "categories": category_list(organization=organization),
        "products": product_model_list(organization=organization),
        "units": unit_choices_for_customer(customer=ticket.customer, keep=ticket.unit),
    }


def _render_ticket(
    request: HttpRequest,
    membership: Membership,
    ticket: Ticket,
    *,
    lists: dict | None = None,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The ticket page, or only its body for htmx, with any submitted form left as it was."""
    lists = lists or _ticket_lists(membership, ticket)
    forms = _ticket_forms(ticket, lists)
    forms.update(bound or {})
    status_form = forms["status_form"]
    timeline = ticket_timeline(ticket=ticket, public_only=False)
    coverage = ticket_coverage(ticket)
    panels = ticket_page_panels.collect(request=request, membership=membership, ticket=ticket)
    context = {
        "ticket": ticket,
        "coverage": coverage_line(coverage) if coverage is not None else None,
        "panels": [panel for panel in panels if panel is not None],
        "contact_points": list(ticket.customer.contact_points.all()),
        "tags": ticket.tag_names,
        "attachments": timeline.files,
        "timeline": timeline_html(timeline.entries, customer_name=ticket.customer.name),
        "sla_targets": sla_targets(ticket),
        "next_statuses": [
            (value, label) for value, label in status_form.offered if value != ticket.status
        ],
        "message_kind": (forms["message_form"].data or {}).get("kind") or MessageKind.REPLY,
        **forms,
    }
    context["suggested_articles"] = ticket_suggested_articles(ticket=ticket)
    if membership.can_write:
        context["canned_answers"] = canned_answers_for_ticket(membership=membership, ticket=ticket)
        context["macros"] = macro_list(membership=membership)
    template = "tickets/detail.html#ticket-body" if request.htmx else "tickets/detail.html"
    return render_console(request, membership, template, context, status=status)


def _ticket(membership: Membership, number: int) -> Ticket:
    """The request of the member's organization that the address names, or 404."""
    organization = membership.organization
    return ticket_get_by_number(
        organization=organization, number=request_number(organization=organization, number=number)
    )


def _after_action(
    request: HttpRequest, membership: Membership, ticket: Ticket, message: str
) -> HttpResponse:
    """PRG back to the ticket page, or the refreshed body for htmx."""
    if request.htmx:
        return _render_ticket(request, membership, _ticket(membership, ticket.number))
    messages.success(request, message)
    return redirect("tickets:detail", number=ticket.number)


@console_view()
def ticket_by_id_view(request: HttpRequest, membership: Membership, ticket_id: int):
    """The request's page, from its id (for links written where only the id is known)."""
    ticket = ticket_get(organization=membership.organization, ticket_id=ticket_id)
    return redirect("tickets:detail", number=ticket.number)


@console_view()
def ticket_detail_view(request: HttpRequest, membership: Membership, number: int) -> HttpResponse:
    """The ticket page: the five sections of the after-sales form, the timeline and actions."""
    ticket = _ticket(membership, number)
    return _render_ticket(request, membership, ticket)


@require_POST
@console_view()
def ticket_message_view(request: HttpRequest, membership: Membership, number: int) -> HttpResponse:
    """Reply to the customer, write an internal note or log a phone call."""
    ticket = _ticket(membership, number)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        is_call = data["kind"] == MessageKind.CALL
        minutes = data["call_duration_minutes"]
        try:
            ticket_message_add(
                ticket=ticket,
                kind=data["kind"],
                body=data["body"],
                actor=request.user,
                channel=Channel.PHONE if is_call else "",
                attachments=data["attachments"],
                call_direction=data["call_direction"] if is_call else "",
                call_duration_seconds=minutes * 60 if is_call and minutes is not None else None,
            )
        except ApplicationError as error:
            apply_error(form, error, fields={"call_duration_seconds": "call_duration_minutes"})
        else:
            done = {
                MessageKind.REPLY: _("Reply sent."),
                MessageKind.NOTE: _("Internal note added."),
                MessageKind.CALL: _("Call logged."),
            }[data["kind"]]
            return _after_action(request, membership, ticket, done)
    return _render_ticket(request, membership, ticket, bound={"message_form": form}, status=422)


@require_POST
@console_view()
def ticket_assign_view(request: HttpRequest, membership: Membership, number: int) -> HttpResponse:
    """Give the request to a member of staff, to oneself, or back to the queue."""
    ticket = _ticket(membership, number)
    lists = _ticket_lists(membership, ticket)
    form = AssignForm(request.POST, members=lists["assignable"])
    if form.is_valid():
        try:
            ticket_assign(
                ticket=ticket, assignee=form.object_for("assignee_id"), actor=request.user
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return _after_action(request, membership, ticket, _("Assignee saved."))
    return _render_ticket(
        request, membership, ticket, lists=lists, bound={"assign_form": form}, status=422
    )


@require_POST
@console_view()
def ticket_status_view(request: HttpRequest, membership: Membership, number: int) -> HttpResponse:
    """Move the request to another status, if that move is allowed."""
    ticket = _ticket(membership, number)
    form = StatusForm(request.POST, allowed=sorted(TRANSITIONS[ticket.status]))
    if form.is_valid():
        try:
            ticket_status_change(
                ticket=ticket,
                status=form.cleaned_data["status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return _after_action(request, membership, ticket, _("Status changed."))
    return _render_ticket(request, membership, ticket, bound={"status_form": form}, status=422)


_SECTION_FORMS = {
    "triage": ("triage_form", TriageForm),
    "product": ("product_form", ProductForm),
    "finalization": ("finalization_form", FinalizationForm),
}
# Form fields that name an object, and the service argument that takes the object.
_OBJECT_FIELDS = {
    "category_id": "category",
    "team_id": "team",
    "product_model_id": "product_model",
    "unit": "unit",
}


@require_POST
@console_view()
def ticket_update_view(
    request: HttpRequest, membership: Membership, number: int, section: str
) -> HttpResponse:
    """Change the fields of one section of the form; fields not sent stay as they are."""
    if section not in _SECTION_FORMS:
        raise Http404
    ticket = _ticket(membership, number)
    lists = _ticket_lists(membership, ticket)
    context_name, form_class = _SECTION_FORMS[section]
    extra = {
        "triage": {"categories": lists["categories"], "teams": lists["teams"]},
        "product": {"products": lists["products"], "units": lists["units"]},
        "finalization": {},
    }[section]
    form = form_class(request.POST, **extra)
    for name in form.fields:
        if name not in request.POST:
            form.fields[name].required = False
    if form.is_valid():
        changes = {}
        for name in form.fields:
            if name not in request.POST:
                continue
            if name in _OBJECT_FIELDS:
                changes[_OBJECT_FIELDS[name]] = form.object_for(name)
            else:
                changes[name] = form.cleaned_data[name]
        try:
            ticket_update(ticket=ticket, actor=request.user, **changes)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return _after_action(request, membership, ticket, _("Changes saved."))
    return _render_ticket(
        request, membership, ticket, lists=lists, bound={context_name: form}, status=422
    )


@console_view()
def attachment_view(request: HttpRequest, membership: Membership, attachment_id: int):
    """A request's file, for staff of its organization; only images and PDFs open inline."""
    attachment = attachment_get_for_staff(
        organization=membership.organization, attachment_id=attachment_id
    )
    return attachment_response(attachment)


def _customer_choices(request: HttpRequest, membership: Membership) -> dict:
    """The chosen customer (?customer=) and the customer search's results (?customer_q=)."""
    organization = membership.organization
    chosen = None
    customer_id = parse_id(request.POST.get("customer_id") or request.GET.get("customer"))
    if customer_id is not None:
        chosen = customer_get(organization=organization, customer_id=customer_id)
    search = (request.GET.get("customer_q") or "").strip()[:200]
    results = []
    if search and chosen is None:
        results = customer_search(
            organization=organization, query=search, cursor=None, limit=10
        ).items
    return {"customer": chosen, "customer_q": search, "customer_results": results}


@console_view()
def ticket_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Open a request on a customer's behalf: a call, a walk-in, an email forwarded by hand."""
    organization = membership.organization
    try:
        choices = _customer_choices(request, membership)
    except Http404:
        if request.method != "POST":
            raise
        choices = {"customer": None, "customer_q": "", "customer_results": []}
    customer = choices["customer"]
    lists = {
        "categories": category_list(organization=organization),
        "teams": team_list(organization=organization),
        "members": _assignable(member_list(organization=organization)),
        "products": product_model_list(organization=organization),
        "units": unit_choices_for_customer(customer=customer) if customer else [],
    }
    if request.method == "POST":
        form = TicketCreateForm(request.POST, request.FILES, **lists)
        if form.is_valid():
            ticket = _create_ticket(request, membership, form, customer)
            if ticket is not None:
                messages.success(request, _("Request %(ref)s opened.") % {"ref": ticket.reference})
                return redirect("tickets:detail", number=ticket.number)
        status = 422
    else:
        form = TicketCreateForm(initial={"customer_id": customer.pk if customer else ""}, **lists)
        status = 200
    context = {**choices, "form": form, "tags": tag_list(organization=organization)}
    return render_console(request, membership, "tickets/create.html", context, status=status)


def _create_ticket(request, membership, form: TicketCreateForm, customer) -> Ticket | None:
    """The new request (and new customer, when one is typed in), or None with errors on `form`."""
    data = form.cleaned_data
    new_name = data["new_customer_name"].strip()
    if customer is None and data["customer_id"]:
        form.add_error("customer_id", _("No such customer."))
        return None
    if customer is None and not new_name:
        message = _("Choose a customer, or enter a new customer's name.")
        form.add_error("new_customer_name", message)
        return None
    try:
        # A refused request must not leave a half-made customer behind.
        with transaction.atomic():
            if customer is None:
                customer = customer_create(
                    organization=membership.organization,
                    name=new_name,
                    emails=[data["new_customer_email"]],
                    phones=[data["new_customer_phone"]],
                    preferred_channel=data["channel"],
                )
            return ticket_create(
                organization=membership.organization,
                customer=customer,
                subject=data["subject"],
                description=data["description"],
                kind=data["kind"],
                channel=data["channel"],
                priority=data["priority"],
                category=form.object_for("category_id"),
                team=form.object_for("team_id"),
                assignee=form.object_for("assignee_id"),
                product_model=form.object_for("product_model_id"),
                unit=form.object_for("unit"),
                serial_number=data["serial_number"],
                purchase_date=data["purchase_date"],
                seller=data["seller"],
                tags=data["tags"],
                attachments=data["attachments"],
                actor=request.user,
            )
    except ApplicationError as error:
        fields = {
            "name": "new_customer_name",
            "email": "new_customer_email",
            "phone": "new_customer_phone",
        }
        apply_error(form, error, fields=fields)
        return None


# --- The customer page's requests (customers' hook) ---

CUSTOMER_TICKETS_PAGE_SIZE = 25


def customer_requests_panel(
    *, request: HttpRequest, membership: Membership, customer: Customer
) -> CustomerPanel:
    """The customer's requests, newest first, a page at a time, for the customer page."""
    error = ""
    try:
        page = ticket_list(
            organization=membership.organization,
            queue="all",
            customer_id=customer.pk,
            sort="-created",
            cursor=request.GET.get("cursor") or None,
            limit=CUSTOMER_TICKETS_PAGE_SIZE,
        )
    except ApplicationError as problem:
        page, error = Page(items=[], next_cursor=None), problem.message
    return CustomerPanel(
        template="tickets/customer_requests.html",
        actions_template="tickets/customer_actions.html",
        context={"tickets": page.items, "error": error, "next_url": next_page_url(request, page)},
        status=422 if error else 200,
    )


# --- Problem categories (settings) ---

# Only admins and supervisors may open these pages.
_manager_view = console_view(
    refusal=gettext_lazy("Only admins and supervisors manage teams and categories."),
)


@_manager_view
def category_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every category as a tree: each parent followed by its subcategories."""
    context = {
        "settings_section": "categories",
        "nodes": category_tree(organization=membership.organization),
    }
    return render_console(request, membership, "tickets/settings/categories.html", context)


@_manager_view
def category_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new category, at the top or under an active category."""
    nodes = category_tree(organization=membership.organization)
    form = CategoryCreateForm(form_data(request), nodes=nodes)

    def save() -> HttpResponse:
        category = category_create(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            parent=form.parent(),
        )
        messages.success(request, _("Category %(name)s created.") % {"name": category.name})
        return redirect("tickets:settings_categories")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/category_form.html",
        context={"settings_section": "categories", "category": None},
    )


@_manager_view
def category_edit_view(
    request: HttpRequest, membership: Membership, category_id: int
) -> HttpResponse:
    """Rename a category, or deactivate or reactivate it."""
    category = category_get(organization=membership.organization, category_id=category_id)
    form = CategoryEditForm(
        form_data(request), initial={"name": category.name, "is_active": category.is_active}
    )

    def save() -> HttpResponse:
        saved = category_update(
            category=category,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Category %(name)s saved.") % {"name": saved.name})
        return redirect("tickets:settings_categories")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="tickets/settings/category_form.html",
        context={"settings_section": "categories", "category": category},
    )
