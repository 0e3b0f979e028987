"""Steps of the module's pages that take more than one form: irreversible ones ask first (a
confirmation page that posts the same form again); an auditor's engagement starts with a
declaration of no conflict of interest, or a refusal."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.certification.forms import DeclarationForm, DeclineForm
from portal.views import form_status, rule_errors


def confirmed() -> bool:
    """Whether the post comes from the confirmation page (its button sends step=confirm)."""
    return request.form.get("step") == "confirm"


def confirmation(title: str, question: str, consequences: list[str], button: str, back: str, fields=None, danger: bool = False):
    """The page that asks before an irreversible step: it posts the same form again with step=confirm."""
    fields = fields if fields is not None else [(k, v) for k, v in request.form.items(multi=True) if k not in ("step", "csrf_token")]
    return render_template("certification/confirm.html", title=title, question=question, consequences=consequences,
                           button=button, back=back, action=request.path, fields=fields, danger=danger)


def conflict_declaration(template: str, context: dict, declare: Callable, decline: Callable, declared: str, next_url: str):
    """The auditor declares no conflict of interest (`declare(user, statement)`, then `declared` is
    flashed and `next_url` opens) or refuses the engagement (`decline(user, reason, is_conflict)`)."""
    declare_form, decline_form = DeclarationForm(prefix="d"), DeclineForm(prefix="r")
    if "r-reason" in request.form:
        if decline_form.validate_on_submit():
            with rule_errors(decline_form):
                decline(current_user, decline_form.reason.data, decline_form.kind.data == "conflict")
                flash(_("Incarico rifiutato: lo staff è stato avvisato."), "success")
                return redirect(url_for("core.home"))
    elif declare_form.validate_on_submit():
        with rule_errors(declare_form):
            declare(current_user, str(declare_form.statement.label.text))
            flash(declared, "success")
            return redirect(next_url)
    return render_template(template, **context, declare_form=declare_form, decline_form=decline_form), \
        form_status(declare_form, decline_form)
