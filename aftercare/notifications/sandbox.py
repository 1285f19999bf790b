"""Organizations' own notice templates, rendered in a sandbox: Django's template language with
only the values a notice offers (plain text, fixed when the change happened), conditions and a
few text filters. No `load`, `include`, `extends`, `url`, loops or anything else that could
reach the database, the files or other templates, or run long."""

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import VariableNode
from django.utils.translation import gettext as _

from aftercare.lib.errors import ApplicationError

TEMPLATE_MAX_CHARS = 10_000

register = Library()
for _name in ("if", "firstof", "comment"):
    register.tag(_name, defaulttags.register.tags[_name])
for _name in (
    "default",
    "upper",
    "lower",
    "title",
    "capfirst",
    "truncatechars",
    "truncatewords",
    "linebreaksbr",
    "yesno",
):
    register.filter(_name, defaultfilters.register.filters[_name])


class _SandboxEngine(Engine):
    # Not Django's default tags and filters (`load`, `include`, `url`, loops...): ours only.
    default_builtins: list[str] = []


_ENGINE = _SandboxEngine(
    builtins=["aftercare.notifications.sandbox"], libraries={}, loaders=[], debug=False
)

# The values each notice offers its template, by name, with what they hold.
VALUES = {
    "reference": "AS-000123",
    "subject": "",
    "name": "",
    "organization": "",
    "agent": "",
    "body": "",
    "url": "",
    "status": "",
    "due": "",
    "solved_url": "",
    "not_solved_url": "",
    "note": "",
    "target": "",
}


def sandbox_compile(source: str, *, field: str):
    """A template from an admin's text; an error names the field and what is wrong."""
    if len(source) > TEMPLATE_MAX_CHARS:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": TEMPLATE_MAX_CHARS}, field=field
        )
    try:
        template = _ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise ApplicationError(
            _("The template cannot be used: %(error)s") % {"error": error}, field=field
        ) from None
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        lookups = getattr(var, "lookups", None)
        if lookups and (lookups[0] not in VALUES or len(lookups) > 1):
            raise ApplicationError(
                _("Unknown value {{ %(name)s }}: use one of %(names)s.")
                % {"name": ".".join(lookups), "names": ", ".join(sorted(VALUES))},
                field=field,
            )
    return template


def sandbox_render(source: str, values: dict, *, autoescape: bool) -> str:
    """Render an admin's template with the notice's values (and nothing else)."""
    template = sandbox_compile(source, field="body")
    offered = {name: str(values.get(name) or "") for name in VALUES}
    return template.render(Context(offered, autoescape=autoescape))
