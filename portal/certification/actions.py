"""One-button actions of the module's pages: run the service, say what happened; ask first when
the step cannot be undone."""

from collections.abc import Callable

from flask import flash, render_template, request

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


def confirmed() -> bool:
    """Whether the post comes from the confirmation page (its button sends step=confirm)."""
    return request.form.get("step") == "confirm"


def confirmation(title: str, question: str, consequences: list[str], button: str, back: str, fields=None, danger: bool = False):
    """The page that asks before an irreversible step: it posts the same form again with step=confirm."""
    fields = fields if fields is not None else [(k, v) for k, v in request.form.items(multi=True) if k not in ("step", "csrf_token")]
    return render_template("certification/confirm.html", title=title, question=question, consequences=consequences,
                           button=button, back=back, action=request.path, fields=fields, danger=danger)
