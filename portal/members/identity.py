"""A member's certified identity: changes to it that another module holds for staff approval.

While a Bollino Blu certificate is in force, a company user's change to the company's name, VAT
number or certified sites waits for staff (`portal.certification.identity`). The members'
services ask through this face and the Bollino Blu answers by registering itself
(`register_keeper`), so that members never imports certification and no import circle forms.
Without a keeper nothing is held.
"""

from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup


class IdentityKeeper(Protocol):
    def hold_company_changes(self, company, values: dict, user) -> dict: ...
    def hold_site_changes(self, site, values: dict, user) -> dict: ...
    def hold_site_removal(self, site, user) -> bool: ...
    def certify_identity(self, company, staff) -> None: ...
    def remove_site_from_scope(self, site, staff) -> None: ...
    def pending_notice(self, company_id: int) -> Markup: ...


@dataclass
class _NothingHeld:
    def hold_company_changes(self, company, values: dict, user) -> dict:
        return {}

    def hold_site_changes(self, site, values: dict, user) -> dict:
        return {}

    def hold_site_removal(self, site, user) -> bool:
        return False

    def certify_identity(self, company, staff) -> None:
        return None

    def remove_site_from_scope(self, site, staff) -> None:
        return None

    def pending_notice(self, company_id: int) -> Markup:
        return Markup("")


_keeper: IdentityKeeper = _NothingHeld()


def register_keeper(keeper: IdentityKeeper) -> None:
    """Called once, at import, by the module that certifies identities."""
    global _keeper
    _keeper = keeper


def keeper() -> IdentityKeeper:
    return _keeper
