"""What each role sees: navigation entries and the to-do list of the home page.

Modules register their entries when their views are imported; the layout and the home page
show only what the user's role allows (the views still check access themselves).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from portal.access import rule_for, user_may


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy gettext string
    endpoint: str
    order: int = 50
    group: str | None = None  # defaults to the endpoint's blueprint


@dataclass(frozen=True)
class NavGroup:
    """One entry of the main menu: a link, or a drop-down when it holds several links."""

    label: object
    links: tuple[tuple[object, str, str], ...]  # (label, url, endpoint)


# Menu groups, by blueprint (or by an item's explicit group), in menu order.
GROUP_LABELS = {
    "members": _l("Soci"),
    "certification": _l("Bollino Blu"),
    "tariffs": _l("Tariffe"),
    "reshoring": _l("Reshoring"),
    "admin": _l("Amministrazione"),
}


@dataclass(frozen=True)
class Task:
    """One thing a user has to do next, shown on their home page."""

    label: str
    url: str
    count: int | None = None
    urgent: bool = False


_nav: list[NavItem] = []
_task_providers: list[Callable[[object], Iterable[Task]]] = []


def add_nav(label, endpoint: str, order: int = 50, group: str | None = None) -> None:
    _nav.append(NavItem(label, endpoint, order, group))


def nav_for(user) -> tuple[tuple[object, str, str], ...]:
    """(label, url, endpoint) of the entries whose view the user may open."""
    return _menu_of(user).links


def menu_for(user) -> tuple[NavGroup, ...]:
    """The main menu: the user's entries grouped by module, in the order of GROUP_LABELS."""
    return _menu_of(user).groups


@dataclass(frozen=True)
class _Menu:
    links: tuple[tuple[object, str, str], ...]
    groups: tuple[NavGroup, ...]


def _menu_of(user) -> _Menu:
    """The menu depends only on the role (access rules) and the script root (URLs), so every
    page of a process reuses it; labels stay lazy and are translated when rendered."""
    role = user.role if user.is_authenticated else None
    cache = current_app.extensions.setdefault("navigation_menus", {})
    key = (role, request.script_root)
    if key not in cache:
        cache[key] = _build_menu(user)
    return cache[key]


def _build_menu(user) -> _Menu:
    items = [i for i in sorted(_nav, key=lambda i: i.order) if user_may(rule_for(i.endpoint), user)]
    links = tuple((i.label, url_for(i.endpoint), i.endpoint) for i in items)
    by_group: dict[str, list] = {}
    for item, link in zip(items, links, strict=True):
        by_group.setdefault(item.group or item.endpoint.split(".")[0], []).append(link)
    groups = tuple(NavGroup(label, tuple(by_group[key])) for key, label in GROUP_LABELS.items() if key in by_group)
    return _Menu(links, groups)


def task_provider(provider: Callable[[object], Iterable[Task]]) -> Callable:
    """Register a function `provider(user) -> tasks` feeding the home page."""
    _task_providers.append(provider)
    return provider


def tasks_for(user) -> list[Task]:
    return [task for provider in _task_providers for task in provider(user)]
