"""Console pages for stock: locations, what each holds, a part across locations, the ledger and
what is low. Every member of staff reads them (a technician finds their van here); admins and
supervisors change locations and stock."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.accounts.selectors import member_list
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_data,
    form_page,
    next_page_url,
    parse_id,
    render_console,
)
from aftercare.inventory.forms import (
    AdjustForm,
    CountForm,
    LedgerFilterForm,
    LocationFilterForm,
    ReceiveForm,
    ReorderForm,
    StockLocationForm,
    TransferForm,
)
from aftercare.inventory.models import StockLocation
from aftercare.inventory.selectors import (
    spare_part_for_sku,
    spare_part_get,
    stock_level_find,
    stock_level_page,
    stock_location_get,
    stock_location_list,
    stock_location_page,
    stock_move_page,
)
from aftercare.inventory.services import (
    stock_adjust,
    stock_count,
    stock_level_reorder_set,
    stock_location_create,
    stock_location_update,
    stock_receive,
    stock_transfer,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page

PAGE_SIZE = 50

_manager_view = console_view(refusal=gettext_lazy("Only admins and supervisors change stock."))


def _named(rows: list) -> list:
    """Give each level (or move) of a page its part's name in the active language."""
    language = translation.get_language() or ""
    for row in rows:
        row.part_name = row.part.name_in(language)
    return rows


def _page(call, **arguments) -> tuple[Page | None, str]:
    """A selector's page, or its refusal (a bad cursor or filter) as a message."""
    try:
        return call(**arguments), ""
    except ApplicationError as error:
        return None, error.message


@console_view()
def location_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Warehouses and vans by name, searchable; the member's own van first marked."""
    form = LocationFilterForm(request.GET)
    page = None
    if form.is_valid():
        try:
            page = stock_location_page(
                organization=membership.organization,
                search=form.cleaned_data["q"],
                kind=form.cleaned_data["kind"],
                status=form.cleaned_data["status"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    context = {
        "form": form,
        "locations": page.items if page else [],
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
    }
    status = 200 if page is not None else 422
    return render_console(
        request, membership, "inventory/location_list.html", context, status=status
    )


def _location_form(request: HttpRequest, membership: Membership, **kwargs) -> StockLocationForm:
    members = member_list(organization=membership.organization)
    technicians = [member.user for member in members if member.role == Membership.Role.TECHNICIAN]
    return StockLocationForm(
        form_data(request),
        technicians=technicians,
        members=[member.user for member in members],
        **kwargs,
    )


@_manager_view
def location_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new warehouse or van."""
    form = _location_form(request, membership, editing=False)

    def save() -> HttpResponse:
        location = stock_location_create(
            organization=membership.organization,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            holder=form.object_for("holder"),
            keeper=form.object_for("keeper"),
        )
        messages.success(request, _("Stock location %(name)s added.") % {"name": location.name})
        return redirect("inventory:location", location.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="inventory/location_form.html",
        context={"location": None},
    )


@_manager_view
def location_edit_view(
    request: HttpRequest, membership: Membership, location_id: int
) -> HttpResponse:
    """Rename a location, change its technician or keeper, or (de)activate it."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    initial = {
        "name": location.name,
        "kind": location.kind,
        "holder": str(location.holder_id or ""),
        "keeper": str(location.keeper_id or ""),
        "is_active": location.is_active,
    }
    form = _location_form(request, membership, initial=initial, editing=True)

    def save() -> HttpResponse:
        saved = stock_location_update(
            location=location,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            holder=form.object_for("holder"),
            keeper=form.object_for("keeper"),
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Stock location %(name)s saved.") % {"name": saved.name})
        return redirect("inventory:location", saved.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="inventory/location_form.html",
        context={"location": location},
    )


@console_view()
def location_detail_view(
    request: HttpRequest, membership: Membership, location_id: int
) -> HttpResponse:
    """What a location holds: on hand, reserved, free and reorder point of each part, by SKU;
    the low ones marked."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    page, error = _page(
        stock_level_page,
        organization=membership.organization,
        location_id=location.pk,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    context = {
        "location": location,
        "levels": _named(page.items) if page else [],
        "next_url": next_page_url(request, page),
        "error": error,
        "is_holder": location.holder_id == membership.user_id,
    }
    return render_console(
        request,
        membership,
        "inventory/location_detail.html",
        context,
        status=422 if error else 200,
    )


@console_view()
def part_stock_view(request: HttpRequest, membership: Membership, part_id: int) -> HttpResponse:
    """A spare part's stock at every location that holds or plans it, by location name."""
    part = spare_part_get(organization=membership.organization, part_id=part_id)
    page, error = _page(
        stock_level_page,
        organization=membership.organization,
        part_id=part.pk,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    context = {
        "part": part,
        "part_name": part.name_in(translation.get_language() or ""),
        "levels": page.items if page else [],
        "next_url": next_page_url(request, page),
        "error": error,
    }
    return render_console(
        request, membership, "inventory/part_stock.html", context, status=422 if error else 200
    )


@console_view()
def low_stock_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Levels at or below their reorder point, longest low first."""
    page, error = _page(
        stock_level_page,
        organization=membership.organization,
        low_only=True,
        cursor=request.GET.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    context = {
        "levels": _named(page.items) if page else [],
        "next_url": next_page_url(request, page),
        "error": error,
    }
    return render_console(
        request, membership, "inventory/low_stock.html", context, status=422 if error else 200
    )


@console_view()
def ledger_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The stock ledger, newest first, by location, part, kind and days."""
    organization = membership.organization
    form = LedgerFilterForm(
        request.GET, locations=stock_location_list(organization=organization, active_only=False)
    )
    page = None
    if form.is_valid():
        data = form.cleaned_data
        location = form.object_for("location")
        try:
            part = (
                spare_part_for_sku(organization=organization, sku=data["part"])
                if data["part"]
                else None
            )
            page = stock_move_page(
                organization=organization,
                location_id=location.pk if location else None,
                part_id=part.pk if part else None,
                kind=data["kind"],
                since=data["since"],
                until=data["until"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    context = {
        "form": form,
        "moves": _named(page.items) if page else [],
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": any(request.GET.get(key) for key in form.fields),
    }
    status = 200 if page is not None else 422
    return render_console(request, membership, "inventory/ledger.html", context, status=status)


def _initial_part(request: HttpRequest, membership: Membership) -> dict:
    """The part a stock form opens with (`?part=<id>` from a level's row; another
    organization's is 404)."""
    part_id = parse_id(request.GET.get("part"))
    if part_id is None:
        return {}
    part = spare_part_get(organization=membership.organization, part_id=part_id)
    return {"part": part.sku, "spare_part": part}


def _stock_form_page(
    request: HttpRequest,
    membership: Membership,
    location: StockLocation,
    form,
    *,
    action: str,
    title: str,
    apply,
) -> HttpResponse:
    """A stock form on a location: a valid POST resolves the part by SKU and calls `apply`."""

    def save() -> HttpResponse:
        part = spare_part_for_sku(
            organization=membership.organization, sku=form.cleaned_data["part"]
        )
        messages.success(request, apply(part, form.cleaned_data))
        return redirect("inventory:location", location.pk)

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="inventory/stock_form.html",
        context={"location": location, "action": action, "title": title},
    )


@_manager_view
def receive_view(request: HttpRequest, membership: Membership, location_id: int) -> HttpResponse:
    """Parts received at a location."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    form = ReceiveForm(form_data(request), initial=_initial_part(request, membership))

    def apply(part, data) -> str:
        move = stock_receive(
            location=location,
            part=part,
            quantity=data["quantity"],
            reason=data["reason"],
            reference=data["reference"],
            actor=membership.user,
        )
        return _("Received %(quantity)s × %(sku)s: %(balance)s on hand.") % {
            "quantity": move.quantity,
            "sku": part.sku,
            "balance": move.balance_after,
        }

    return _stock_form_page(
        request, membership, location, form, action="receive", title=_("Receive"), apply=apply
    )


@_manager_view
def adjust_view(request: HttpRequest, membership: Membership, location_id: int) -> HttpResponse:
    """A correction of a location's stock, up or down, with its reason."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    form = AdjustForm(form_data(request), initial=_initial_part(request, membership))

    def apply(part, data) -> str:
        move = stock_adjust(
            location=location,
            part=part,
            quantity=data["quantity"],
            reason=data["reason"],
            actor=membership.user,
        )
        return _("Adjusted %(sku)s by %(quantity)+d: %(balance)s on hand.") % {
            "quantity": move.quantity,
            "sku": part.sku,
            "balance": move.balance_after,
        }

    return _stock_form_page(
        request, membership, location, form, action="adjust", title=_("Adjust"), apply=apply
    )


@_manager_view
def transfer_view(request: HttpRequest, membership: Membership, location_id: int) -> HttpResponse:
    """Free stock moved from this location to another."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    destinations = [
        other
        for other in stock_location_list(organization=membership.organization)
        if other.pk != location.pk
    ]
    form = TransferForm(
        form_data(request),
        initial=_initial_part(request, membership),
        destinations=destinations,
    )

    def apply(part, data) -> str:
        destination = form.object_for("destination")
        out_move, _in_move = stock_transfer(
            source=location,
            destination=destination,
            part=part,
            quantity=data["quantity"],
            reason=data["reason"],
            actor=membership.user,
        )
        return _("Moved %(quantity)s × %(sku)s to %(destination)s.") % {
            "quantity": -out_move.quantity,
            "sku": part.sku,
            "destination": destination.name,
        }

    return _stock_form_page(
        request, membership, location, form, action="transfer", title=_("Transfer"), apply=apply
    )


@_manager_view
def count_view(request: HttpRequest, membership: Membership, location_id: int) -> HttpResponse:
    """What a count found: the difference goes in the ledger."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    form = CountForm(form_data(request), initial=_initial_part(request, membership))

    def apply(part, data) -> str:
        move = stock_count(
            location=location,
            part=part,
            counted=data["counted"],
            reason=data["reason"],
            actor=membership.user,
        )
        if move is None:
            return _("The count of %(sku)s agrees with the stock.") % {"sku": part.sku}
        return _("Count of %(sku)s recorded: %(quantity)+d, %(balance)s on hand.") % {
            "quantity": move.quantity,
            "sku": part.sku,
            "balance": move.balance_after,
        }

    return _stock_form_page(
        request, membership, location, form, action="count", title=_("Count"), apply=apply
    )


@_manager_view
def reorder_view(request: HttpRequest, membership: Membership, location_id: int) -> HttpResponse:
    """A part's reorder point and quantity at this location."""
    location = stock_location_get(organization=membership.organization, location_id=location_id)
    initial = _initial_part(request, membership)
    if initial:
        level = stock_level_find(location=location, part=initial["spare_part"])
        if level is not None:
            initial["reorder_point"] = level.reorder_point
            initial["reorder_quantity"] = level.reorder_quantity
    form = ReorderForm(form_data(request), initial=initial)

    def apply(part, data) -> str:
        stock_level_reorder_set(
            location=location,
            part=part,
            reorder_point=data["reorder_point"],
            reorder_quantity=data["reorder_quantity"],
        )
        return _("Reorder point of %(sku)s saved.") % {"sku": part.sku}

    return _stock_form_page(
        request,
        membership,
        location,
        form,
        action="reorder",
        title=_("Reorder point"),
        apply=apply,
    )
