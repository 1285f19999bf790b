"""What the console's frame shows of the apps above it, filled by those apps at start-up.

The console knows no domain app. Each app that has console pages registers, in its
`AppConfig.ready()`, the links of the top bar, the sections of the settings area, the widgets of
the top bar and the texts its scripts need; the frame's templates read these registries. So a
new app adds its pages without touching the console or any other app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.accounts.permissions import page_requirement
from aftercare.console.access import Access, allows


@dataclass(frozen=True)
class NavLink:
    """A link in the console's top bar."""

    key: str
    label: str | Promise
    url_name: str
    order: int
    # Shown to members the permission matrix lets open `url_name`, of those `access` lets in:
    # it may offer the link to fewer (a viewer has no day of work), never to more.
    access: Access = Access.READ
    query: str = ""
    testid: str = ""
    # Whether the link is the current page, from the request (and the page's settings section).
    is_current: Callable[[HttpRequest, str], bool] = field(default=lambda request, section: False)

    @cached_property
    def url(self) -> str:
        """The link's address (reversed once per process)."""
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


@dataclass(frozen=True)
class SettingsSection:
    """A section of the settings area: an entry in its menu and a card on its overview."""

    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    order: int
    # As for NavLink: the matrix lets in, `access` may narrow whom the section is offered to.
    access: Access = Access.MANAGE

    @cached_property
    def url(self) -> str:
        """The section's address (reversed once per process)."""
        return reverse(self.url_name)


# Where a widget sits: in the top bar's menu (folded behind the toggler on a phone), or on the
# bar itself, seen at every width (the bell).
MENU, BAR = "menu", "bar"


@dataclass(frozen=True)
class NavbarWidget:
    """A piece of the top bar an app renders itself (a template), e.g. the presence switch."""

    template: str
    order: int
    access: Access = Access.READ
    placement: str = MENU
    # A bar widget's panel (a template), drawn under the top bar in the flow of the page, so
    # that opening it pushes the page down rather than lying over it (the bell's list).
    panel: str = ""


_links: list[NavLink] = []
_sections: list[SettingsSection] = []
_widgets: list[NavbarWidget] = []
_script_texts: list[Callable[[], dict]] = []
# The texts as each language gave them: they depend on the language only, and every page asks.
_script_texts_by_language: dict[str, dict] = {}


def _add(registry: list, item, *, key: Callable) -> None:
    # Registering again (a second `ready()` in tests) replaces the first registration.
    registry[:] = [existing for existing in registry if key(existing) != key(item)]
    registry.append(item)
    registry.sort(key=lambda entry: getattr(entry, "order", 0))


def register_nav_link(link: NavLink) -> None:
    """Show `link` in the top bar to members the permission matrix lets open its page."""
    _add(_links, link, key=lambda entry: entry.key)


def register_settings_section(section: SettingsSection) -> None:
    """List `section` in the settings menu and overview for members the permission matrix
    lets open its page."""
    _add(_sections, section, key=lambda entry: entry.key)


def register_navbar_widget(widget: NavbarWidget) -> None:
    """Render `widget`'s template in the top bar for members its access allows."""
    _add(_widgets, widget, key=lambda entry: entry.template)


def register_script_texts(provider: Callable[[], dict]) -> None:
    """Hand the texts `provider()` returns (in the active language, and depending on nothing
    else: they are asked once per language) to the pages' scripts."""
    _add(_script_texts, provider, key=lambda entry: entry)
    _script_texts_by_language.clear()


def nav_links(
    request: HttpRequest, membership: Membership, section: str
) -> list[tuple[NavLink, bool]]:
    """The top bar's links this member may follow, each with whether it is the current page."""
    return [
        (link, link.is_current(request, section))
        for link in _links
        if allows(membership, link.access) and may_open(membership, link.url_name)
    ]


def settings_sections(membership: Membership) -> list[SettingsSection]:
    """The settings sections this member may open, in order."""
    return [
        section
        for section in _sections
        if allows(membership, section.access) and may_open(membership, section.url_name)
    ]


def navbar_widgets(membership: Membership, placement: str = MENU) -> list[NavbarWidget]:
    """The top bar's widgets this member sees at `placement`, in order."""
    return [
        widget
        for widget in _widgets
        if widget.placement == placement and allows(membership, widget.access)
    ]


def may_open(membership: Membership, url_name: str) -> bool:
    """Whether the permission matrix lets `membership` open the console page `url_name`."""
    try:
        requirement = page_requirement(url_name)
    except ImproperlyConfigured:
        return False
    return isinstance(requirement, Access) and allows(membership, requirement)


def script_texts() -> dict:
    """Every text the registered apps hand to the pages' scripts, in the active language."""
    language = get_language() or ""
    texts = _script_texts_by_language.get(language)
    if texts is None:
        texts = {}
        for provider in _script_texts:
            texts.update(provider())
        _script_texts_by_language[language] = texts
    return texts


def _in_settings(request: HttpRequest, section: str) -> bool:
    return bool(section)


def register_own() -> None:
    """The console's own entries: the settings link, and the members, teams, audit log,
    account and tokens sections."""
    register_nav_link(
        NavLink(
            key="settings",
            label=gettext_lazy("Settings"),
            url_name="console:settings",
            order=100,
            testid="nav-settings",
            is_current=_in_settings,
        )
    )
    register_settings_section(
        SettingsSection(
            key="members",
            label=gettext_lazy("Members"),
            description=gettext_lazy(
                "Invite staff, change their roles, deactivate those who left."
            ),
            url_name="console:settings_members",
            order=10,
            access=Access.ADMIN,
        )
    )
    register_settings_section(
        SettingsSection(
            key="teams",
            label=gettext_lazy("Teams"),
            description=gettext_lazy("Groups of staff that each work their own queue."),
            url_name="console:settings_teams",
            order=20,
        )
    )
    register_settings_section(
        SettingsSection(
            key="audit",
            label=gettext_lazy("Audit log"),
            description=gettext_lazy(
                "Who did what and when: sign-ins, members, roles, tokens, teams and settings."
            ),
            url_name="console:settings_audit",
            order=900,
            access=Access.ADMIN,
        )
    )
    register_settings_section(
        SettingsSection(
            key="account",
            label=gettext_lazy("My account"),
            description=gettext_lazy("Your email address, and how you sign in."),
            url_name="console:settings_account",
            order=990,
            access=Access.PERSONAL,
        )
    )
    register_settings_section(
        SettingsSection(
            key="security",
            label=gettext_lazy("Sign-in and security"),
            description=gettext_lazy(
                "Your authenticator app and recovery codes, and the browsers signed in to your "
                "account."
            ),
            url_name="console:settings_security",
            order=992,
            access=Access.READ,
        )
    )
    register_settings_section(
        SettingsSection(
            key="tokens",
            label=gettext_lazy("My API tokens"),
            description=gettext_lazy(
                "Personal keys for scripts and integrations that use the API as you."
            ),
            url_name="console:settings_tokens",
            order=1000,
            access=Access.PERSONAL,
        )
    )
