"""The audit log for admins: who did what, when and from which address, filtered, a page at a
time, and the same filtered set as CSV."""

import datetime
import json
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftercare.accounts.models import ApiToken, AuditEntry, Membership, Team
from aftercare.accounts.selectors import (
    AuditFilters,
    audit_entry_iter,
    audit_entry_page,
    membership_list,
)
from aftercare.accounts.services import AuditAction, audit_origin, audit_record
from aftercare.console.access import Access
from aftercare.console.forms import ConsoleForm, clean_user_date, date_widget, text_field
from aftercare.console.pages import (
    apply_error,
    console_view,
    next_page_url,
    query_with,
    render_console,
)
from aftercare.lib.csvexport import csv_lines
from aftercare.lib.errors import ApplicationError

PAGE_SIZE = 50

_admin_view = console_view(
    Access.ADMIN, refusal=gettext_lazy("Only admins read the organization's audit log.")
)

_FILTERS = ("action", "actor", "since", "until", "ip", "target")


class AuditFilterForm(ConsoleForm):
    """The audit log's filters, read from the query string."""

    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("Any")), *AuditAction.choices],
    )
    actor = forms.ChoiceField(label=gettext_lazy("Who"), required=False)
    since = forms.CharField(label=pgettext_lazy("start date", "From"), required=False)
    until = forms.CharField(label=gettext_lazy("Until"), required=False)
    ip = text_field(
        gettext_lazy("Address"),
        max_length=45,
        direction="ltr",
        help_text=gettext_lazy("A whole address matches exactly; a part, any address with it."),
    )
    target = text_field(gettext_lazy("Target"), max_length=200, type="search")

    def __init__(self, *args, members: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", gettext_lazy("Anyone"))] + [
            (str(member.user_id), f"{member.user.display_name} ({member.user.email})")
            for member in members
        ]
        for name in ("since", "until"):
            self.fields[name].widget = date_widget()
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_since(self):
        """A day in the user's calendar, or none."""
        return clean_user_date(self.cleaned_data.get("since", ""))

    def clean_until(self):
        """A day in the user's calendar, or none."""
        return clean_user_date(self.cleaned_data.get("until", ""))

    def filters(self) -> AuditFilters:
        """The cleaned filters, as the selectors take them."""
        data = self.cleaned_data
        return AuditFilters(
            action=data["action"],
            actor_id=int(data["actor"]) if data["actor"] else None,
            since=data["since"],
            until=data["until"],
            ip=data["ip"],
            target=data["target"],
        )


# Details are stored as data (the keys below); they are shown as sentences in the reader's
# language, and their choices by their labels.
_DETAIL_LABELS = {
    "assignment": gettext_lazy("Assignment"),
    "email": gettext_lazy("Email"),
    "expires_at": gettext_lazy("Expires"),
    "filters": gettext_lazy("Filters"),
    "is_active": gettext_lazy("Active"),
    "members": gettext_lazy("Members"),
    "members_added": gettext_lazy("Members added"),
    "members_removed": gettext_lazy("Members removed"),
    "name": gettext_lazy("Name"),
    "new_email": gettext_lazy("New email"),
    "reason": gettext_lazy("Reason"),
    "role": gettext_lazy("Role"),
    "require_second_factor": gettext_lazy("Second factor required"),
    "scope": gettext_lazy("Scope"),
    "second_factor": gettext_lazy("Second factor"),
    "sessions": gettext_lazy("Browsers"),
}
_VALUE_LABELS = {
    "role": dict(Membership.Role.choices),
    "assignment": dict(Team.Assignment.choices),
    "scope": dict(ApiToken.Scope.choices),
}


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(key, item) for item in value)
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:
            return f"{_value(key, value['from'])} → {_value(key, value['to'])}"
        return ", ".join(f"{name}: {_value(name, item)}" for name, item in value.items())
    if value is None or value == "":
        return "—"
    return str(_VALUE_LABELS.get(key, {}).get(value, value))


def audit_details(data: dict) -> str:
    """An entry's data as one line: "Role: Agent → Supervisor; Active: yes"."""
    if not isinstance(data, dict):
        return str(data)
    return "; ".join(
        f"{_DETAIL_LABELS.get(key, key)}: {_value(key, value)}" for key, value in data.items()
    )


def _target_kind(target_type: str) -> str:
    """A target's kind in the reader's language ("API token"), from its model's label."""
    if not target_type:
        return ""
    try:
        return capfirst(str(apps.get_model(target_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return target_type


@dataclass(frozen=True)
class AuditRow:
    """One entry as the page shows it."""

    entry: AuditEntry
    action: str
    who: str
    target_kind: str
    details: str
    account_wide: bool


def _rows(entries: list[AuditEntry]) -> list[AuditRow]:
    actions = dict(AuditAction.choices)
    kinds: dict[str, str] = {}
    rows = []
    for entry in entries:
        if entry.target_type not in kinds:
            kinds[entry.target_type] = _target_kind(entry.target_type)
        rows.append(
            AuditRow(
                entry=entry,
                action=str(actions.get(entry.action, entry.action)),
                who=entry.actor.display_name if entry.actor else "",
                target_kind=kinds[entry.target_type],
                details=audit_details(entry.data),
                account_wide=entry.organization_id is None,
            )
        )
    return rows


def _form(request: HttpRequest, membership: Membership) -> AuditFilterForm:
    members = membership_list(organization=membership.organization)
    return AuditFilterForm(request.GET, members=members)


def _render(
    request: HttpRequest,
    membership: Membership,
    form: AuditFilterForm,
    rows: list[AuditRow],
    *,
    next_url: str = "",
    status: int = 200,
) -> HttpResponse:
    query = query_with(request.GET, cursor=None)
    context = {
        "settings_section": "audit",
        "form": form,
        "rows": rows,
        "next_url": next_url,
        "is_first_page": not request.GET.get("cursor"),
        "filtered": any(request.GET.get(key) for key in _FILTERS),
        "export_url": reverse("console:settings_audit_export") + (f"?{query}" if query else ""),
    }
    return render_console(
        request, membership, "console/settings/audit.html", context, status=status
    )


@_admin_view
def audit_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The audit log, newest first: the organization's events and its staff's sign-ins."""
    form = _form(request, membership)
    if not form.is_valid():
        return _render(request, membership, form, [], status=422)
    try:
        page = audit_entry_page(
            organization=membership.organization,
            filters=form.filters(),
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ApplicationError as error:
        apply_error(form, error)
        return _render(request, membership, form, [], status=422)
    return _render(
        request, membership, form, _rows(page.items), next_url=next_page_url(request, page)
    )


CSV_HEADER = [
    "id",
    "created_at",
    "organization",
    "action",
    "action_label",
    "actor_id",
    "actor_email",
    "actor_name",
    "target_type",
    "target_id",
    "target_label",
    "ip",
    "user_agent",
    "data",
]


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@_admin_view
def audit_export_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The filtered audit log as CSV (times in UTC, ISO 8601), streamed a batch at a time. The
    export itself is recorded."""
    form = _form(request, membership)
    organization = membership.organization
    if not form.is_valid():
        return _render(request, membership, form, [], status=422)
    filters = form.filters()
    try:
        entries = audit_entry_iter(organization=organization, filters=filters)
    except ApplicationError as error:
        apply_error(form, error)
        return _render(request, membership, form, [], status=422)
    asked = {
        name: str(value)
        for name, value in vars(filters).items()
        if value is not None and value != ""
    }
    audit_record(
        action=AuditAction.AUDIT_EXPORTED,
        organization=organization,
        actor=request.user,
        data={"filters": asked},
        **audit_origin(request),
    )
    # Labels are read now, in the request's language: the rows are written after the view
    # has answered.
    actions = {value: str(label) for value, label in AuditAction.choices}

    def rows():
        for entry in entries:
            yield [
                entry.pk,
                _utc(entry.created_at),
                organization.slug if entry.organization_id else "",
                entry.action,
                actions.get(entry.action, entry.action),
                entry.actor_id,
                entry.actor_email,
                entry.actor.display_name if entry.actor else "",
                entry.target_type,
                entry.target_id,
                entry.target_label,
                entry.ip,
                entry.user_agent,
                json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
            ]

    response = StreamingHttpResponse(
        csv_lines(CSV_HEADER, rows()), content_type="text/csv; charset=utf-8"
    )
    day = timezone.now().astimezone(organization.zone).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-{organization.slug}-{day}.csv"'
    add_never_cache_headers(response)
    return response
