"""The form renderer: the widgets every console page draws (inputs, selects, text areas) written
in Python, byte for byte what Django's widget templates write, and every other widget through
those templates.

Why: Django renders each widget through its template, and each `<option>` through an include of
its own. The queue's filter bar alone drew 8 widgets and about 60 options that way, 11 % of the
page's time. The output is compared with Django's templates in
aftercare/console/tests/test_renderers.py, so an upgrade that changes them shows up there.
"""

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

from aftercare.lib.text import html_escape as conditional_escape

WIDGETS = "django/forms/widgets/"


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"` for each attribute, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{conditional_escape(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """input.html (and every template that only includes it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    """textarea.html."""
    value = widget["value"]
    shown = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{shown}</textarea>"
    )


def _file(widget: dict) -> str | None:
    """clearable_file_input.html for a field without a stored file (the console never has one:
    files are added, not replaced); None sends a stored file's case to the template."""
    if widget.get("is_initial"):
        return None
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    """select_option.html (its file ends with a line break, and so does each option)."""
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str:
    """select.html: options, in their groups when the choices have groups."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


PYTHON_WIDGETS: dict[str, Callable[[dict], str | None]] = {
    **{
        f"{WIDGETS}{name}.html": _input
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "search",
            "tel",
            "color",
            "checkbox",
            "file",
        )
    },
    f"{WIDGETS}clearable_file_input.html": _file,
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class ConsoleFormRenderer(DjangoTemplates):
    """Django's default renderer, with the common widgets drawn in Python."""

    def render(self, template_name, context, request=None) -> SafeString:
        """The widget's HTML: in Python when it is a common widget, else from its template."""
        draw = PYTHON_WIDGETS.get(template_name)
        if draw is not None and "widget" in context:
            html = draw(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request)
