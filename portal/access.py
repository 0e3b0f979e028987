"""Who may open which page: one deny-by-default mechanism for the whole portal.

Every view declares its rule with one of the decorators below. A request to an endpoint
without a declared rule is refused (403), and `tests/test_access_rules.py` fails on any route
that forgot to declare one. Object-level checks are asked of the object itself
(`obj.can_view(user)`, `obj.can_edit(user)`) and enforced with `ensure()`.
"""

from collections.abc import Callable
from enum import StrEnum

from flask import abort, current_app, request
from flask_login import current_user

from portal.extensions import login_manager


class Role(StrEnum):
    APPLICANT = "applicant"  # company user
    COMPANY_ADMIN = "company_admin"
    AUDITOR = "auditor"
    STAFF = "staff"
    ADMIN = "admin"
    CONSULTEE = "consultee"  # an outside party (client, union, association) taking part in consultations


COMPANY_ROLES = frozenset({Role.APPLICANT, Role.COMPANY_ADMIN})
STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})

PUBLIC = "public"
AUTHENTICATED = "authenticated"

# Endpoints served by Flask or extensions themselves.
_BUILTIN_PUBLIC = {"static"}


def _declare(rule) -> Callable:
    def decorator(view: Callable) -> Callable:
        view.access_rule = rule
        return view

    return decorator


public = _declare(PUBLIC)
authenticated = _declare(AUTHENTICATED)


def roles(*allowed: Role) -> Callable:
    """Only users holding one of `allowed` roles may open the view."""
    return _declare(frozenset(allowed))


def staff_only(view: Callable) -> Callable:
    return roles(*STAFF_ROLES)(view)


def company_only(view: Callable) -> Callable:
    return roles(*COMPANY_ROLES)(view)


def rule_for(endpoint: str | None):
    """The declared rule of an endpoint, or None when it declared nothing."""
    if endpoint is None:
        return None
    if endpoint in _BUILTIN_PUBLIC or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def user_may(rule, user) -> bool:
    if rule == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if rule == AUTHENTICATED:
        return True
    return user.role in rule


def enforce_access() -> None:
    """`before_request` hook: unknown endpoints 404, undeclared ones 403, others by rule."""
    if request.endpoint is None:
        return  # Flask answers 404/405 itself
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("Endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if user_may(rule, current_user):
        return
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    abort(403)


def ensure(allowed: bool, status: int = 403) -> None:
    """Stop the request unless the object-level check passed."""
    if not allowed:
        abort(status)

