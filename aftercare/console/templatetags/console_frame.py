"""The frame's tags: the top bar's links and widgets, the settings sections, script texts."""

from django import template

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
def console_widgets(context) -> list:
    """The top bar's widgets (templates) for the current member."""
    membership = context.get("membership")
    return navigation.navbar_widgets(membership) if membership else []


@register.simple_tag(takes_context=True)
def console_settings_sections(context) -> list:
    """The settings sections the current member may open."""
    membership = context.get("membership")
    return navigation.settings_sections(membership) if membership else []


@register.simple_tag
def console_strings() -> dict:
    """Texts the pages' scripts show, in the active language."""
    return navigation.script_texts()
