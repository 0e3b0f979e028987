"""Yearly surveillance: the company sends its figures, staff open and assign, the auditor declares and scores."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import COMPANY_ROLES, Role, company_only, ensure, roles, staff_only
from portal.certification import grids, nonconformities, surveillance
from portal.certification.actions import conflict_declaration
from portal.certification.blueprint import bp
from portal.certification.forms import AssignForm, NonConformityForm
from portal.certification.models import (
    AssignmentStatus,
    Certificate,
    Parameter,
    ReviewEvidence,
    ReviewStatus,
    SurveillanceReview,
)
from portal.certification.views_certificates import certificate_page
from portal.extensions import db
from portal.forms import CsrfForm, italian_options, options
from portal.members.models import User
from portal.navigation import Task, task_provider
from portal.uploads import send_stored
from portal.views import form_status, load_or_404, rule_errors

AUDITOR_ROLES = (Role.AUDITOR, Role.STAFF, Role.ADMIN)


@task_provider
def surveillance_tasks(user):
    if user.is_authenticated and user.role in AUDITOR_ROLES:
        for review in db.session.scalars(surveillance.pending(ReviewStatus.OPEN, ReviewStatus.SUBMITTED).options(
                joinedload(SurveillanceReview.certificate).selectinload(Certificate.sites)).where(
                SurveillanceReview.auditor_id == user.id,
                SurveillanceReview.assignment_status.in_([AssignmentStatus.PENDING, AssignmentStatus.DECLARED]))):
            certificate = review.certificate
            sites = ", ".join(s.comune for s in certificate.sites)
            if review.assignment_status == AssignmentStatus.PENDING:
                yield Task(_("Dichiara l'assenza di conflitti: sorveglianza del certificato %(n)s (%(c)s; sedi: %(s)s)",
                             n=certificate.number, c=certificate.company_name, s=sites),
                           url_for("certification.review_declaration", review_id=review.id), urgent=True)
            elif review.status == ReviewStatus.SUBMITTED:
                yield Task(_("Valuta la sorveglianza del certificato %(n)s (%(c)s; sedi: %(s)s) entro il %(d)s",
                             n=certificate.number, c=certificate.company_name, s=sites, d=review.due_on.strftime("%d/%m/%Y")),
                           url_for("certification.review", review_id=review.id), urgent=review.due_on < date.today())
    if user.is_authenticated and user.is_company_user and user.company_id:
        for review in db.session.scalars(surveillance.pending(ReviewStatus.OPEN).options(joinedload(SurveillanceReview.certificate))
                                         .where(Certificate.company_id == user.company_id)):
            yield Task(_("Invia i dati della sorveglianza annuale del certificato %(n)s entro il %(d)s",
                         n=review.certificate.number, d=review.due_on.strftime("%d/%m/%Y")),
                       url_for("certification.review_submission", review_id=review.id), urgent=review.due_on < date.today())


# --- staff: open and assign ------------------------------------------------------------------------

@bp.post("/sorveglianze/<int:review_id>/apri")
@staff_only
def open_review(review_id: int):
    review = load_or_404(SurveillanceReview, review_id)
    if CsrfForm().validate_on_submit():
        with rule_errors():
            surveillance.open_now(review, current_user)
            flash(_("Sorveglianza aperta: l'azienda è stata invitata a inviare i dati."), "success")
    return redirect(url_for("certification.certificate", certificate_id=review.certificate_id, _anchor="sorveglianze"))


@bp.post("/sorveglianze/<int:review_id>/valutatore")
@staff_only
def assign_review(review_id: int):
    review = load_or_404(SurveillanceReview, review_id)
    form = AssignForm(prefix=f"review-{review.id}")
    form.auditor.choices = options((u.id, u.name) for u in surveillance.eligible_auditors())
    if form.validate_on_submit():
        with rule_errors(form.override_reason):
            surveillance.assign(review, db.session.get(User, form.auditor.data), current_user, form.override_reason.data)
            flash(_("Valutatore incaricato: riceverà un'e-mail."), "success")
            return redirect(url_for("certification.certificate", certificate_id=review.certificate_id, _anchor="sorveglianze"))
    return certificate_page(review.certificate, assign_forms={review.id: form})


# --- the auditor ----------------------------------------------------------------------------------

@bp.route("/sorveglianze/<int:review_id>/dichiarazione", methods=["GET", "POST"])
@roles(*AUDITOR_ROLES)
def review_declaration(review_id: int):
    review = load_or_404(SurveillanceReview, review_id)
    ensure(review.auditor_id == current_user.id, status=404)
    return conflict_declaration(
        "certification/review_declaration.html", {"review": review},
        declare=lambda user, statement: surveillance.declare_no_conflict(review, user, statement),
        decline=lambda user, reason, conflict: surveillance.decline(review, user, reason, conflict),
        declared=_("Dichiarazione registrata: potete valutare la sorveglianza."),
        next_url=url_for("certification.review", review_id=review.id))


def _review_page(review: SurveillanceReview, typed=None, nc_form=None, status: int = 200):
    params = {p.code: p for p in surveillance.key_parameters(review)}
    nc_form = nc_form or NonConformityForm(prefix="nc")
    nc_form.parameter.choices = italian_options((p.id, f"{p.code} {p.question[:60]}") for p in params.values())
    return render_template("certification/review.html", review=review, params=params, typed=typed or {},
                           certified=surveillance.certified_answers(review), evidence=surveillance.evidence_by_code(review),
                           result=surveillance.review_result(review), findings=nonconformities.of_review(review),
                           nc_form=nc_form, can_read=review.can_read(current_user)), status


@bp.route("/sorveglianze/<int:review_id>", methods=["GET", "POST"])
@roles(*AUDITOR_ROLES)
def review(review_id: int):
    review = load_or_404(SurveillanceReview, review_id)
    if review.auditor_id == current_user.id and review.assignment_status == AssignmentStatus.PENDING:
        return redirect(url_for("certification.review_declaration", review_id=review.id))
    if request.method == "GET":
        return _review_page(review)
    ensure(review.auditor_id == current_user.id)
    if not CsrfForm().validate_on_submit():
        return _review_page(review, request.form, status=400)
    closing = request.form.get("action") == "close"
    saved = False
    with rule_errors():
        surveillance.save_review(review, current_user, grids.review_items(request.form, list(review.items)),
                                 request.form.get("summary", ""), request.form.get("version"),
                                 close=closing and request.form.get("step") == "confirm")
        saved = True
    if not saved:
        return _review_page(review, request.form, status=422)
    if closing and review.status not in surveillance.CLOSED:
        return render_template("certification/review_close.html", review=review, result=surveillance.review_result(review),
                               cause=None if surveillance.review_result(review)[0] else surveillance.failure_cause(review))
    flash(_("Sorveglianza chiusa.") if review.status in surveillance.CLOSED else _("Sorveglianza salvata."), "success")
    return redirect(url_for("certification.review", review_id=review.id))


@bp.post("/sorveglianze/<int:review_id>/non-conformita")
@roles(*AUDITOR_ROLES)
def raise_review_finding(review_id: int):
    """The auditor's finding on a key figure; refused, it comes back on the review page with what was typed."""
    review = load_or_404(SurveillanceReview, review_id)
    ensure(review.auditor_id == current_user.id, status=404)
    form = NonConformityForm(prefix="nc")
    form.parameter.choices = options((p.id, p.code) for p in surveillance.key_parameters(review))
    if form.validate_on_submit():
        with rule_errors(form.finding):
            nonconformities.raise_on_review(review, db.session.get(Parameter, form.parameter.data), current_user, form.grade.data,
                                            form.finding.data, form.evidence.data, form.due_on.data)
            flash(_("Non conformità registrata: l'azienda riceve un'e-mail."), "success")
            return redirect(url_for("certification.review", review_id=review.id, _anchor="non-conformita"))
    return _review_page(review, nc_form=form, status=form_status(form))


@bp.get("/sorveglianze/<int:review_id>/prove/<int:evidence_id>")
@roles(*COMPANY_ROLES, *AUDITOR_ROLES)
def review_evidence_file(review_id: int, evidence_id: int):
    review = load_or_404(SurveillanceReview, review_id)
    ensure(review.can_read(current_user))
    link = db.session.scalar(select(ReviewEvidence).where(ReviewEvidence.review_id == review.id,
                                                          ReviewEvidence.evidence_id == evidence_id))
    ensure(link is not None, status=404)
    return send_stored(link.evidence.stored_file, as_attachment=link.evidence.stored_file.kind not in ("pdf", "png", "jpeg"))


# --- the company ------------------------------------------------------------------------------------

@bp.route("/sorveglianze/<int:review_id>/dati", methods=["GET", "POST"])
@company_only
def review_submission(review_id: int):
    review = load_or_404(SurveillanceReview, review_id)
    errors, typed, missing, status = {}, {}, [], 200
    if request.method == "POST" and CsrfForm().validate_on_submit():
        typed = request.form
        params = surveillance.key_parameters(review)
        entries = {p.code: {"value": request.form.get(f"value_{p.code}", ""), "note": request.form.get(f"note_{p.code}", "")}
                   for p in params}
        uploads = {p.code: (request.files.get(f"file_{p.code}"), request.form.get(f"title_{p.code}", "").strip()) for p in params}
        submit = request.form.get("action") == "submit"
        if submit and request.form.get("step") != "confirm":
            submit = False  # the first click saves and asks for confirmation
        result = None
        with rule_errors():
            result = surveillance.save_submission(review, current_user, entries, uploads, submit, request.form.get("version"))
        if result is None:
            status = 422
        else:
            errors, missing = result.errors, result.missing
            if review.status == ReviewStatus.SUBMITTED:
                flash(_("Dati inviati: il valutatore li esaminerà."), "success")
                return redirect(url_for("certification.review_submission", review_id=review.id))
            if errors or missing:
                flash(_("Alcuni dati non sono stati salvati o mancano: li trovi indicati qui sotto."), "danger")
                status = 422
            elif request.form.get("action") == "submit":
                return render_template("certification/review_submit_confirm.html", review=review)
            else:
                flash(_("Dati salvati: potete completarli e inviarli entro il %(d)s.", d=review.due_on.strftime("%d/%m/%Y")), "success")
                return redirect(url_for("certification.review_submission", review_id=review.id))
    return render_template("certification/review_submission.html", review=review, params=surveillance.key_parameters(review),
                           certified=surveillance.certified_answers(review), evidence=surveillance.evidence_by_code(review),
                           errors=errors, typed=typed, missing=missing,
                           todo=len(surveillance.missing(review)) if review.status == ReviewStatus.OPEN else 0,
                           findings=nonconformities.of_review(review), editable=surveillance.can_submit(review, current_user),
                           form=CsrfForm()), status
