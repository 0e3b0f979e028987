"""One-button actions of the module's pages: run the service, say what happened."""

from collections.abc import Callable

from flask import flash

from portal.certification.forms import CsrfForm
from portal.extensions import db
from portal.rules import RuleError


def attempt(action: Callable[[], object], success: str, form=None) -> bool:
    """Run `action` if the form (default: CSRF only) validates; flash the refusal or `success`."""
    if not (form or CsrfForm()).validate_on_submit():
        return False
    try:
        action()
    except RuleError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return False
    flash(success, "success")
    return True
