"""What the catalog's settings pages share: who may open them and the searchable list."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from aftercare.accounts.models import Membership
from aftercare.console.forms import ConsoleForm
from aftercare.console.pages import apply_error, console_view, next_page_url, render_console
from aftercare.lib.errors import ApplicationError

PAGE_SIZE = 50


def manager_view(refusal: str | Promise) -> Callable:
    """Only admins and supervisors may open the page; anyone else is told `refusal`."""
    return console_view(refusal=refusal)


def settings_list(
    request: HttpRequest,
    membership: Membership,
    *,
    form: ConsoleForm,
    page: Callable,
    template: str,
    section: str,
    rows: str,
) -> HttpResponse:
    """A settings list: `page(...)` rows matching the form's search and status, a page at a
    time; a bad search or cursor answers 422 with the error on the form."""
    found = None
    if form.is_valid():
        try:
            found = page(
                organization=membership.organization,
                search=form.cleaned_data["q"],
                status=form.cleaned_data["status"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    context = {
        "settings_section": section,
        "form": form,
        rows: found.items if found else [],
        "next_url": next_page_url(request, found),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": found is not None
        and bool(form.cleaned_data["q"] or form.cleaned_data["status"] != "all"),
    }
    status = 200 if found is not None else 422
    return render_console(request, membership, template, context, status=status)
