"""The console's notice pages: the notices part of the customer page (filled through customers'
hook); an organization's rules, own templates (with a preview on a real request) and outbound
log; each member's choice of the notices they get."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import Context, engines
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_data,
    form_page,
    next_page_url,
    render_console,
)
from aftercare.customers.hooks import CustomerPanel
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.notifications.forms import (
    NoticeTemplateForm,
    NotificationSettingsForm,
    StaffPreferencesForm,
)
from aftercare.notifications.models import STAFF_EVENTS, Notice, NoticeTemplate
from aftercare.notifications.sandbox import VALUES
from aftercare.notifications.selectors import notice_get, notice_list, notices_for_customer
from aftercare.notifications.settings_services import (
    notice_preview,
    notice_template_restore,
    notice_template_save,
    notification_settings_get,
    notification_settings_update,
    staff_preference_set,
    staff_preferences,
)


def customer_notices_panel(
    *, request: HttpRequest, membership: Membership, customer: Customer
) -> CustomerPanel:
    """What the customer was sent lately, and whether it went."""
    notices = notices_for_customer(organization=membership.organization, customer=customer)
    return CustomerPanel(
        template="notifications/customer_notices.html", context={"notices": notices}
    )


_admin_view = console_view(refusal=gettext_lazy("Only admins change how notices are sent."))
_manager_view = console_view(
    refusal=gettext_lazy("Only admins and supervisors read the outbound log.")
)


@_admin_view
def rules_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Quiet hours and the waiting reminder; links to the templates and the log."""
    rules = notification_settings_get(organization=membership.organization)
    form = NotificationSettingsForm(
        form_data(request),
        initial={
            "quiet_start": rules.quiet_start,
            "quiet_end": rules.quiet_end,
            "reminder_hours": rules.reminder_hours,
        },
    )

    def save() -> HttpResponse:
        notification_settings_update(organization=membership.organization, **form.cleaned_data)
        messages.success(request, _("Notification settings saved."))
        return redirect("notifications:rules")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="notifications/rules.html",
        context={"settings_section": "notifications"},
    )


def _languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, str(name)) for code, name in settings.LANGUAGES]


@_admin_view
def template_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every event and language: the organization's own words, or the standard ones."""
    own = {
        (template.event, template.language): template
        for template in NoticeTemplate.objects.filter(
            organization=membership.organization, channel="email"
        )
    }
    languages = _languages()
    rows = [
        {
            "event": event,
            "label": label,
            "staff": event in STAFF_EVENTS,
            "cells": [(code, own.get((event, code))) for code, _name in languages],
        }
        for event, label in Notice.Event.choices
    ]
    context = {"settings_section": "notifications", "rows": rows, "languages": languages}
    return render_console(request, membership, "notifications/templates.html", context)


def _event_language(event: str, language: str) -> str:
    if event not in Notice.Event.values or not is_language(language):
        raise Http404
    return str(Notice.Event(event).label)


@_admin_view
def template_edit_view(
    request: HttpRequest, membership: Membership, event: str, language: str
) -> HttpResponse:
    """An event's own words in one language: edit, preview on a real request, save, restore."""
    label = _event_language(event, language)
    organization = membership.organization
    existing = NoticeTemplate.objects.filter(
        organization=organization, event=event, language=language, channel="email"
    ).first()
    initial = {"is_active": True}
    if existing is not None:
        initial = {
            "subject": existing.subject,
            "body": existing.body,
            "is_active": existing.is_active,
        }
    else:
        initial["body"] = _standard_text(event, language)
    form = NoticeTemplateForm(form_data(request), initial=initial)
    context = {
        "settings_section": "notifications",
        "event": event,
        "event_label": label,
        "language": language,
        "template": existing,
        "preview": None,
    }
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "preview" and form.is_valid():
        try:
            context["preview"] = notice_preview(
                organization=organization,
                event=event,
                language=language,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                number=form.cleaned_data["number"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        status = 422 if form.errors else 200
        return render_console(
            request,
            membership,
            "notifications/template_form.html",
            {**context, "form": form},
            status=status,
        )

    def save() -> HttpResponse:
        notice_template_save(
            organization=organization,
            event=event,
            language=language,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            is_active=form.cleaned_data["is_active"],
            actor=request.user,
        )
        messages.success(request, _("Template saved."))
        return redirect("notifications:templates")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="notifications/template_form.html",
        context=context,
    )


def _standard_text(event: str, language: str) -> str:
    """The shipped words of an event in a language, with the placeholders a template uses in
    place of values: a starting point for the organization's own."""
    placeholders = {name: "{{ " + name + " }}" for name in VALUES}
    placeholders["due"] = ""  # conditional in the shipped words; offered, not required
    with translation.override(language):
        template = engines["django"].engine.get_template(f"notifications/email/{event}.txt")
        return template.render(Context(placeholders, autoescape=False)).strip()


@require_POST
@_admin_view
def template_restore_view(
    request: HttpRequest, membership: Membership, event: str, language: str
) -> HttpResponse:
    """Go back to the standard words: the organization's own template is removed."""
    _event_language(event, language)
    notice_template_restore(organization=membership.organization, event=event, language=language)
    messages.success(request, _("The standard words are used again."))
    return redirect("notifications:templates")


@_manager_view
def log_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every notice sent, newest first, by state."""
    state = request.GET.get("state", "")
    if state not in Notice.State.values:
        state = ""
    try:
        page = notice_list(
            organization=membership.organization, state=state, cursor=request.GET.get("cursor")
        )
        error = ""
    except ApplicationError as problem:
        page, error = None, problem.message
    context = {
        "settings_section": "notifications",
        "rows": page.items if page else [],
        "next_url": next_page_url(request, page),
        "state": state,
        "states": Notice.State.choices,
        "error": error,
    }
    return render_console(
        request, membership, "notifications/log.html", context, status=422 if error else 200
    )


@_manager_view
def log_detail_view(request: HttpRequest, membership: Membership, notice_id: int) -> HttpResponse:
    notice = notice_get(organization=membership.organization, notice_id=notice_id)
    context = {"settings_section": "notifications", "notice": notice}
    return render_console(request, membership, "notifications/log_detail.html", context)


@console_view()
def my_notices_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Which notices this member of staff gets by email."""
    organization = membership.organization
    events = {event: str(label) for event, label in Notice.Event.choices if event in STAFF_EVENTS}
    current = staff_preferences(organization=organization, user=request.user)
    form = StaffPreferencesForm(form_data(request), initial=current, events=events)

    def save() -> HttpResponse:
        for event in events:
            staff_preference_set(
                organization=organization,
                user=request.user,
                event=event,
                email=form.cleaned_data[event],
            )
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notifications:mine")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="notifications/mine.html",
        context={"settings_section": "my-notifications"},
    )
