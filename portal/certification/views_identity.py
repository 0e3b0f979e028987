"""Staff approve or refuse the changes certified companies made to what their certificates state."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.access import staff_only
from portal.certification import identity
from portal.certification.blueprint import bp
from portal.certification.forms import IdentityRefuseForm
from portal.certification.models import ChangeStatus, IdentityChange
from portal.extensions import db
from portal.forms import CsrfForm
from portal.navigation import Task, task_provider
from portal.views import form_status, rule_errors


@task_provider
def identity_tasks(user):
    if user.is_staff:
        waiting = db.session.scalar(select(func.count(IdentityChange.id)).where(IdentityChange.status == ChangeStatus.PENDING))
        if waiting:
            yield Task(_("Modifiche dei dati certificati da approvare"), url_for("certification.identity_changes"), waiting, urgent=True)


def _page(refuse_forms: dict | None = None):
    with_people = (joinedload(IdentityChange.company), joinedload(IdentityChange.site), joinedload(IdentityChange.requested_by))
    pending = db.paginate(select(IdentityChange).options(*with_people).where(IdentityChange.status == ChangeStatus.PENDING)
                          .order_by(IdentityChange.requested_at), per_page=20)
    decided = db.session.scalars(select(IdentityChange).options(*with_people, joinedload(IdentityChange.decided_by))
                                 .where(IdentityChange.status != ChangeStatus.PENDING)
                                 .order_by(IdentityChange.decided_at.desc()).limit(10)).all()
    forms = {c.id: IdentityRefuseForm(prefix=f"refuse-{c.id}") for c in pending.items} | (refuse_forms or {})
    return render_template("certification/identity_changes.html", page=pending, decided=decided, refuse_forms=forms,
                           fields=identity.FIELD_LABELS, kinds=identity.KIND_LABELS), form_status(*(refuse_forms or {}).values())


@bp.get("/identita")
@staff_only
def identity_changes():
    return _page()


@bp.post("/identita/<int:change_id>/approva")
@staff_only
def approve_identity_change(change_id: int):
    change = db.get_or_404(IdentityChange, change_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            identity.approve(change, current_user)
            flash(_("Modifica approvata: i certificati e il registro mostrano i nuovi dati."), "success")
    return redirect(url_for("certification.identity_changes"))


@bp.post("/identita/<int:change_id>/rifiuta")
@staff_only
def refuse_identity_change(change_id: int):
    change = db.get_or_404(IdentityChange, change_id)
    form = IdentityRefuseForm(prefix=f"refuse-{change.id}")
    if form.validate_on_submit():
        with rule_errors(form.note):
            identity.refuse(change, current_user, form.note.data)
            flash(_("Modifica non approvata: l'azienda riceve la spiegazione."), "success")
            return redirect(url_for("certification.identity_changes"))
    return _page({change.id: form})
