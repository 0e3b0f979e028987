"""Non-conformities: the company answers with its correction, auditors verify. (Auditors raise them
from their scoring pages: views_audit.raise_application_finding, views_surveillance.raise_review_finding.)"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import Role, authenticated, ensure, roles
from portal.certification import nonconformities
from portal.certification.blueprint import bp
from portal.certification.forms import CorrectionForm, VerifyCorrectionForm
from portal.certification.models import NonConformity
from portal.extensions import db
from portal.uploads import send_stored
from portal.views import form_status, rule_errors

AUDITOR_ROLES = (Role.AUDITOR, Role.STAFF, Role.ADMIN)


def finding_for(nc_id: int) -> NonConformity:
    nc = db.get_or_404(NonConformity, nc_id)
    ensure(nonconformities.can_view(nc, current_user), status=404)
    return nc


def _page(nc: NonConformity, correction_form=None, verify_form=None, status: int = 200):
    return render_template("certification/nonconformity.html", nc=nc, correction_form=correction_form or CorrectionForm(),
                           verify_form=verify_form or VerifyCorrectionForm(),
                           can_answer=nonconformities.can_answer(nc, current_user),
                           can_verify=nonconformities.can_verify(nc, current_user)), status


@bp.get("/non-conformita/<int:nc_id>")
@authenticated
def nonconformity(nc_id: int):
    return _page(finding_for(nc_id))


@bp.post("/non-conformita/<int:nc_id>/correzione")
@roles(Role.APPLICANT, Role.COMPANY_ADMIN)
def answer_nonconformity(nc_id: int):
    nc = finding_for(nc_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        with rule_errors(form.correction):
            nonconformities.answer(nc, current_user, form.correction.data, request.files.get("file"), form.title.data)
            flash(_("Correzione inviata al valutatore."), "success")
            return redirect(url_for("certification.nonconformity", nc_id=nc.id))
    return _page(nc, correction_form=form, status=form_status(form))


@bp.post("/non-conformita/<int:nc_id>/verifica")
@roles(*AUDITOR_ROLES)
def verify_nonconformity(nc_id: int):
    nc = finding_for(nc_id)
    form = VerifyCorrectionForm()
    if form.validate_on_submit():
        with rule_errors(form.note):
            nonconformities.verify(nc, current_user, form.outcome.data == "close", form.note.data)
            flash(_("Verifica registrata: l'azienda riceve l'esito."), "success")
            return redirect(url_for("certification.nonconformity", nc_id=nc.id))
    return _page(nc, verify_form=form, status=form_status(form))


@bp.get("/non-conformita/<int:nc_id>/prova")
@authenticated
def nonconformity_evidence(nc_id: int):
    nc = finding_for(nc_id)
    ensure(nc.correction_evidence is not None, status=404)
    stored = nc.correction_evidence.stored_file
    return send_stored(stored, as_attachment=stored.kind not in ("pdf", "png", "jpeg"))
