"""The customer portal: sign in by emailed link, submit and follow requests, track one."""

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftercare.accounts.models import Organization
from aftercare.accounts.selectors import (
    SESSION_SIGNED_IN_WITH_KEY,
    SIGNED_IN_WITH_PORTAL_LINK,
)
from aftercare.catalog.selectors import product_model_list
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_for_portal_user
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.vocabulary import Channel, Status
from aftercare.notifications.consent import customer_preference_set, unsubscribe_read
from aftercare.notifications.models import CustomerPreference, Topic
from aftercare.portal.access import customer_page, portal_page
from aftercare.portal.forms import LoginLinkForm, ReplyForm, RequestForm, TrackForm
from aftercare.portal.repairs import request_repairs_context
from aftercare.portal.selectors import pending_uploads_get, portal_timeline
from aftercare.portal.services import (
    pending_upload_discard,
    pending_uploads_keep,
    portal_login_link_check,
    portal_login_link_request,
    portal_login_link_use,
    portal_request_submit,
    portal_track_attempt_register,
    request_form_key,
)
from aftercare.tickets.attachments import attachment_response
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket
from aftercare.tickets.notices import NOT_SOLVED, SOLVED, resolution_answer_read
from aftercare.tickets.selectors import (
    attachment_get_for_customer,
    ticket_get_for_customer,
    ticket_list_for_customer,
    ticket_track,
)
from aftercare.tickets.services import ticket_confirm_resolution, ticket_message_add
from aftercare.warranty.selectors import unit_choices_for_customer

# A service's field name that the portal's form calls differently.
_FIELD_ALIASES = {"product_model_id": "product_model"}


def _client_ip(request: HttpRequest) -> str | None:
    value = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _context(organization: Organization, customer: Customer | None, section: str, **extra):
    return {"organization": organization, "customer": customer, "section": section, **extra}


@portal_page
def home_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The portal's front page: a customer goes straight to their requests."""
    customer = customer_for_portal_user(organization=organization, user=request.user)
    if customer is not None:
        return redirect("portal:request_list", org_slug=organization.slug)
    return render(request, "portal/home.html", _context(organization, None, "home"))


@portal_page
def login_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """Ask for a one-time sign-in link by email."""
    customer = customer_for_portal_user(organization=organization, user=request.user)
    if customer is not None:
        return redirect("portal:request_list", org_slug=organization.slug)
    form = LoginLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                portal_login_link_request(
                    organization=organization,
                    email=form.cleaned_data["email"],
                    requested_ip=_client_ip(request),
                )
            except ApplicationError as error:
                form.add_application_error(error)
                status = {"rate_limited": 429, "unavailable": 503}.get(error.code, 422)
            else:
                return redirect("portal:login_sent", org_slug=organization.slug)
    return render(
        request,
        "portal/login.html",
        _context(organization, None, "login", form=form),
        status=status,
    )


@portal_page
def login_sent_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The same answer for every address: check your email."""
    return render(
        request,
        "portal/login_sent.html",
        _context(organization, None, "login", minutes=settings.PORTAL_LOGIN_LINK_MINUTES),
    )


@require_http_methods(["GET", "POST"])
@portal_page
def login_link_view(request: HttpRequest, organization: Organization, token: str) -> HttpResponse:
    """An emailed sign-in link: opening it shows a button (a mail scanner's visit spends
    nothing); pressing it spends the link and signs the customer in."""
    try:
        if request.method == "POST":
            signed_in = portal_login_link_use(organization=organization, token=token)
        else:
            link = portal_login_link_check(organization=organization, token=token)
    except ApplicationError as error:
        response = render(
            request,
            "portal/login_link_invalid.html",
            _context(organization, None, "login", error=error.message, form=LoginLinkForm()),
            status=410 if error.code in ("used", "expired") else 400,
        )
        return _link_page(response)
    if request.method == "GET":
        response = render(
            request,
            "portal/login_link_confirm.html",
            _context(
                organization,
                None,
                "login",
                email_html=format_html(
                    '<span dir="ltr" class="fw-semibold" data-testid="link-email">{}</span>',
                    link.email,
                ),
            ),
        )
        return _link_page(response)
    login(request, signed_in.user)
    # A session signed in by a link is a customer's: it never opens the console.
    request.session[SESSION_SIGNED_IN_WITH_KEY] = SIGNED_IN_WITH_PORTAL_LINK
    response = redirect("portal:request_list", org_slug=organization.slug)
    # The link may open in another browser: keep the language it was asked for in.
    language = signed_in.language or signed_in.user.language
    if is_language(language):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return _link_page(response)


def _link_page(response: HttpResponse) -> HttpResponse:
    """A page whose address holds a sign-in token: its address goes to no other site as a
    Referer, and it is cached nowhere. (Not "no-referrer": then the browser sends the button's
    POST with `Origin: null`, which CSRF protection rightly refuses.)"""
    response["Referrer-Policy"] = "same-origin"
    add_never_cache_headers(response)
    return response


@require_POST
@portal_page
def logout_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """Sign out of the portal."""
    logout(request)
    return redirect("portal:home", org_slug=organization.slug)


@customer_page
def request_list_view(
    request: HttpRequest, organization: Organization, customer: Customer
) -> HttpResponse:
    """The customer's own requests in this organization, newest first."""
    tickets = ticket_list_for_customer(customer=customer)
    return render(
        request,
        "portal/request_list.html",
        _context(organization, customer, "requests", tickets=tickets),
    )


@customer_page
def request_create_view(
    request: HttpRequest, organization: Organization, customer: Customer
) -> HttpResponse:
    """Submit a new service request from the portal, about one of the customer's registered
    products (?unit= picks it) or one described by hand. A form that comes back to be fixed
    keeps its files (they are shown, and can be removed); sent twice, it opens one request."""
    choices = {
        "products": product_model_list(organization=organization),
        "units": unit_choices_for_customer(customer=customer),
    }
    if request.method != "POST":
        form = RequestForm(initial={"unit": request.GET.get("unit", "")}, **choices)
        return _request_form_page(request, organization, customer, form, key=request_form_key())
    form = RequestForm(request.POST, request.FILES, **choices)
    key = request_form_key(request.POST.get("form_key", ""))
    kept = pending_uploads_get(customer=customer, ids=request.POST.getlist("pending_uploads"))
    uploads = form.files.getlist("attachments")
    removing = request.POST.get("remove_upload")
    if removing is not None:
        # "Remove" on a kept file (shown only on a form that came back): the form comes back
        # again, as it was typed, without that file.
        pending_upload_discard(customer=customer, pending_upload_id=removing)
        kept = [pending for pending in kept if str(pending.pk) != removing.strip()]
        form.is_valid()
    elif form.is_valid():
        data = form.cleaned_data
        language = (request.LANGUAGE_CODE or "").split("-")[0]
        try:
            ticket = portal_request_submit(
                organization=organization,
                customer=customer,
                key=key,
                pending_upload_ids=request.POST.getlist("pending_uploads"),
                attachments=data["attachments"],
                actor=request.user,
                subject=data["subject"],
                description=data["description"],
                kind=data["kind"],
                channel=Channel.PORTAL,
                language=language if is_language(language) else "",
                product_model=data["product_model"],
                unit=data.get("unit"),
                serial_number=data["serial_number"],
                purchase_date=data["purchase_date"],
                seller=data["seller"],
            )
        except ApplicationError as error:
            form.add_application_error(error, aliases=_FIELD_ALIASES)
        else:
            messages.success(
                request,
                _("We received your request %(reference)s.") % {"reference": ticket.reference},
            )
            return redirect(
                "portal:request_detail", org_slug=organization.slug, number=ticket.number
            )
    # Not sent: the files that pass the checks are kept for the next try.
    kept, refused = pending_uploads_keep(
        organization=organization, customer=customer, kept=kept, uploads=uploads
    )
    for message in refused:
        if message not in form.errors.get("attachments", []):
            form.add_error("attachments", message)
    form.mark_invalid()
    status = 200 if removing is not None and not form.errors else 422
    return _request_form_page(
        request, organization, customer, form, key=key, kept=kept, status=status
    )


def _request_form_page(
    request: HttpRequest,
    organization: Organization,
    customer: Customer,
    form: RequestForm,
    *,
    key: str,
    kept: list | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _context(organization, customer, "new", form=form, form_key=key, kept=kept or [])
    return render(request, "portal/request_new.html", context, status=status)


def _render_request(
    request: HttpRequest,
    organization: Organization,
    customer: Customer,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    confirm_error: str = "",
    status: int = 200,
) -> HttpResponse:
    timeline = portal_timeline(ticket=ticket)
    context = _context(
        organization,
        customer,
        "requests",
        ticket=ticket,
        timeline=timeline.entries,
        attachments=timeline.files,
        reply_form=reply_form or ReplyForm(),
        can_reply=ticket.status != Status.CLOSED,
        can_confirm=ticket.status == Status.RESOLVED,
        confirm_error=confirm_error,
        **request_repairs_context(organization=organization, customer=customer, ticket=ticket),
    )
    return render(request, "portal/request_detail.html", context, status=status)


@customer_page
def request_detail_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int
) -> HttpResponse:
    """One of the customer's requests: status, product, timeline, reply."""
    ticket = ticket_get_for_customer(customer=customer, number=number)
    return _render_request(request, organization, customer, ticket)


@require_POST
@customer_page
def request_reply_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int
) -> HttpResponse:
    """The customer writes on their request; on a resolved request this reopens it."""
    ticket = ticket_get_for_customer(customer=customer, number=number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_message_add(
                ticket=ticket,
                kind=MessageKind.CUSTOMER,
                body=form.cleaned_data["body"],
                actor=request.user,
                channel=Channel.PORTAL,
                attachments=form.cleaned_data["attachments"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect(
                "portal:request_detail", org_slug=organization.slug, number=ticket.number
            )
    return _render_request(request, organization, customer, ticket, reply_form=form, status=422)


@require_POST
@customer_page
def request_confirm_view(
    request: HttpRequest, organization: Organization, customer: Customer, number: int
) -> HttpResponse:
    """The customer confirms the problem is solved, which closes the request."""
    ticket = ticket_get_for_customer(customer=customer, number=number)
    try:
        ticket_confirm_resolution(ticket=ticket, actor=request.user)
    except ApplicationError as error:
        return _render_request(
            request, organization, customer, ticket, confirm_error=error.message, status=422
        )
    messages.success(request, _("Thank you for confirming. The request is now closed."))
    return redirect("portal:request_detail", org_slug=organization.slug, number=ticket.number)


@portal_page
def resolution_answer_view(
    request: HttpRequest, organization: Organization, token: str
) -> HttpResponse:
    """The "solved" / "not yet" links of a resolved request's mail: the page asks once more with
    a button (a mail scanner opening the link changes nothing); the button answers."""
    found = resolution_answer_read(organization=organization, token=token)
    if found is None:
        context = _context(organization, None, "answer", ticket=None, choice="")
        return _answer_page(request, context, status=404)
    ticket, choice = found
    if request.method == "POST":
        choice = request.POST.get("choice", choice)
    context = _context(
        organization, None, "answer", ticket=ticket, choice=choice, answered="", error=""
    )
    if ticket.status != Status.RESOLVED:
        context["error"] = _("This request is no longer waiting for your answer.")
        return _answer_page(request, context)
    if request.method != "POST" or choice not in (SOLVED, NOT_SOLVED):
        return _answer_page(request, context)
    actor = ticket.customer.user
    try:
        if choice == SOLVED:
            ticket_confirm_resolution(ticket=ticket, actor=actor)
        else:
            details = (request.POST.get("details") or "").strip()
            ticket_message_add(
                ticket=ticket,
                kind=MessageKind.CUSTOMER,
                body=details or _("The problem is not solved yet."),
                actor=actor,
                channel=Channel.EMAIL,
            )
    except ApplicationError as error:
        context["error"] = error.message
        return _answer_page(request, context, status=422)
    context["answered"] = choice
    return _answer_page(request, context)


@csrf_exempt
@portal_page
def unsubscribe_view(request: HttpRequest, organization: Organization, token: str) -> HttpResponse:
    """A notice's unsubscribe link: the page offers a button; a mail client's one-click POST
    (RFC 8058, no cookie, no CSRF token: the signed link is the proof) turns the topic off."""
    found = unsubscribe_read(organization=organization, token=token)
    context = _context(organization, None, "unsubscribe", topic_label="", done=False)
    if found is None:
        return _answer_page(request, context, status=404, template="portal/unsubscribe.html")
    customer, topic = found
    context["topic_label"] = Topic(topic).label
    if request.method == "POST":
        customer_preference_set(
            customer=customer,
            topic=topic,
            allowed=False,
            source=CustomerPreference.Source.UNSUBSCRIBE,
        )
        context["done"] = True
    return _answer_page(request, context, template="portal/unsubscribe.html")


def _answer_page(
    request: HttpRequest,
    context: dict,
    *,
    status: int = 200,
    template: str = "portal/resolution_answer.html",
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the link's token stays on this page
    return response


@require_GET
@customer_page
def attachment_download_view(
    request: HttpRequest, organization: Organization, customer: Customer, attachment_id: int
) -> FileResponse:
    """A file on one of the customer's requests, if it is visible to them."""
    attachment = attachment_get_for_customer(customer=customer, attachment_id=attachment_id)
    return attachment_response(attachment)


@portal_page
def track_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """Follow a request without signing in, by its number and the email or phone it came with."""
    # A wrong pair answers exactly like an unknown number, so numbers cannot be enumerated.
    customer = customer_for_portal_user(organization=organization, user=request.user)
    form = TrackForm(request.POST or None)
    context = _context(organization, customer, "track", form=form, not_found=False)
    if request.method != "POST":
        return render(request, "portal/track.html", context)
    if not form.is_valid():
        return render(request, "portal/track.html", context, status=422)
    try:
        portal_track_attempt_register(ip=_client_ip(request))
    except ApplicationError as error:
        form.add_application_error(error)
        return render(request, "portal/track.html", context, status=429)
    ticket = ticket_track(
        organization=organization,
        reference=form.cleaned_data["number"],
        contact=form.cleaned_data["contact"],
    )
    if ticket is None:
        context["not_found"] = True
        return render(request, "portal/track.html", context, status=404)
    context.update(tracked=ticket, timeline=portal_timeline(ticket=ticket).entries)
    return render(request, "portal/track.html", context)
