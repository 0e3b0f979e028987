"""Checks one module shows beside another's data, without either importing the other.

A module registers what it can say about a company (`@linked_check("tariffs")` on a function
`company_id -> dict`); the Bollino Blu auditor's page asks `linked_checks(company_id)` and shows
each beside the parameters that name it (`Parameter.linked_check`). A check no module provides
is None: the page says it is not available.
"""

from collections.abc import Callable

CHECK_NAMES = ("tariffs", "reshoring")
_providers: dict[str, Callable[[int], dict]] = {}


def linked_check(name: str) -> Callable:
    if name not in CHECK_NAMES:
        raise ValueError(f"unknown linked check {name!r}")

    def register(provider: Callable[[int], dict]) -> Callable[[int], dict]:
        _providers[name] = provider
        return provider

    return register


def linked_checks(company_id: int) -> dict[str, dict | None]:
    """Every check's picture of the company (None where no module provides it)."""
    return {name: _providers[name](company_id) if name in _providers else None for name in CHECK_NAMES}
