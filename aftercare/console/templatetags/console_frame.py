"""The frame's tags: the top bar's links and widgets, the settings sections, script texts."""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from aftercare.console import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def console_nav(context) -> list:
    """The top bar's links for the current member, each as (link, is_current)."""
    membership = context.get("membership")
    if not membership:
        return []
    return navigation.nav_links(context["request"], membership, context.get("settings_section", ""))


@register.simple_tag(takes_context=True)
def console_widgets(context, placement: str = navigation.MENU) -> list:
    """The top bar's widgets (templates) for the current member, in its menu or on the bar."""
    membership = context.get("membership")
    return navigation.navbar_widgets(membership, placement) if membership else []


@register.simple_tag(takes_context=True)
def console_settings_sections(context) -> list:
    """The settings sections the current member may open."""
    membership = context.get("membership")
    return navigation.settings_sections(membership) if membership else []


@register.simple_tag
def console_strings() -> dict:
    """Texts the pages' scripts show, in the active language."""
    return navigation.script_texts()


# The switcher's options and texts, per active language (they depend on nothing else).
_switcher_parts: dict[str, tuple[str, str]] = {}


def _switcher_language_parts(language: str) -> tuple[str, str]:
    parts = _switcher_parts.get(language)
    if parts is None:
        options = format_html_join(
            "\n",
            '    <option value="{}"{} lang="{}">{}</option>',
            (
                (code, mark_safe(" selected") if code == language else "", code, info["name_local"])
                for code, info in (
                    (code, get_language_info(code)) for code, _ in settings.LANGUAGES
                )
            ),
        )
        head = format_html(
            '  <label for="language-select" class="form-label mb-0">{}</label>\n'
            '  <select id="language-select" name="language" class="form-select form-select-sm '
            'w-auto" data-submit-on-change>\n{}\n  </select>\n',
            gettext("Language"),
            options,
        )
        tail = format_html(
            '  <noscript><button type="submit" class="btn btn-sm btn-outline-secondary">{}'
            "</button></noscript>\n",
            gettext("Change"),
        )
        parts = _switcher_parts[language] = (head, tail)
    return parts


@register.simple_tag(takes_context=True)
def language_switcher(context) -> str:
    """The language picker of every page's footer: a form posting to Django's `set_language`,
    back to the page it was on. Drawn in Python, its options once per language: as an included
    template it was two fifths of the page frame's time."""
    request = context["request"]
    head, tail = _switcher_language_parts(get_language() or settings.LANGUAGE_CODE)
    return format_html(
        '<form action="{}" method="post" class="d-inline-flex align-items-center gap-2" '
        'data-testid="language-switcher">\n'
        '  <input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
        '  <input name="next" type="hidden" value="{}">\n{}{}</form>',
        reverse("set_language"),
        # The page's token (the context's, masked once for the whole page), else the request's.
        context.get("csrf_token") or get_token(request),
        request.get_full_path(),
        head,
        tail,
    )
