"""Certificates for staff and companies: detail, PDF, status changes, surveillance, dashboard."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.access import COMPANY_ROLES, Role, roles, staff_only
from portal.certification import certificates as lifecycle
from portal.certification import grids, statements
from portal.certification.blueprint import bp
from portal.certification.forms import ReviewOpenForm, StatusForm
from portal.certification.models import (
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Certificate,
    CertStatus,
    ReviewStatus,
    SurveillanceReview,
)
from portal.certification.pdf import certificate_pdf
from portal.certification.views_register import filtered_page
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.geography import REGIONS
from portal.members.models import User
from portal.navigation import Task, add_nav, task_provider
from portal.pdf import pdf_response
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Certificati Bollino Blu"), "certification.certificates", order=21)
add_nav(_l("Cruscotto Bollino Blu"), "certification.dashboard", order=22)


@task_provider
def review_tasks(user):
    if user.is_authenticated and user.role in (Role.AUDITOR, Role.STAFF, Role.ADMIN):
        for review in db.session.scalars(select(SurveillanceReview).options(joinedload(SurveillanceReview.certificate)).where(
                SurveillanceReview.auditor_id == user.id, SurveillanceReview.status == ReviewStatus.OPEN)):
            yield Task(_("Sorveglianza annuale del certificato %(n)s", n=review.certificate.number),
                       url_for("certification.review", review_id=review.id), urgent=review.due_on < date.today())
    if user.is_staff:
        soon = db.session.scalar(select(func.count()).select_from(lifecycle.expiring(90).subquery()))
        if soon:
            yield Task(_("Certificati Bollino Blu in scadenza nei prossimi 90 giorni"), url_for("certification.dashboard"), soon)


@bp.get("/certificati")
@roles(*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
def certificates():
    page, filters, error = filtered_page(request.args, current_user.company_id if current_user.is_company_user else None)
    return render_template("certification/certificates.html", page=page, regions=REGIONS, filters=filters,
                           error=error), (400 if error else 200)


def _auditor_choices():
    return options((u.id, u.name) for u in db.session.scalars(
        select(User).where(User.role == Role.AUDITOR, User.active).order_by(User.name)))


@bp.get("/certificati/<int:certificate_id>")
@roles(*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
def certificate(certificate_id: int):
    return certificate_page(load_or_404(Certificate, certificate_id))


def certificate_page(certificate: Certificate, status_form: StatusForm | None = None):
    """The certificate page; a status change that failed comes back with what staff typed (422)."""
    review_form = ReviewOpenForm(due_on=date.today() + timedelta(days=30))
    review_form.auditor.choices = _auditor_choices()
    status_form = status_form or StatusForm()
    # Only the changes the rules allow today: a suspended certificate is not offered "Sospendi".
    status_form.status.choices = [choice for choice in status_form.status.choices
                                  if certificate.current_status in lifecycle.TRANSITIONS[CertStatus(choice.value)]]
    return render_template("certification/certificate.html", certificate=certificate, status_form=status_form,
                           review_form=review_form, statement=statements.public_statement(certificate),
                           event_statement=statements.event_statement), form_status(status_form)


@bp.get("/certificati/<int:certificate_id>/pdf")
@roles(*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
def certificate_download(certificate_id: int):
    certificate = load_or_404(Certificate, certificate_id)
    return pdf_response(certificate_pdf(certificate), f"{certificate.number}.pdf")


@bp.post("/certificati/<int:certificate_id>/stato")
@staff_only
def change_status(certificate_id: int):
    """First the preview of what the register will say, then (step=confirm) the change itself."""
    certificate = load_or_404(Certificate, certificate_id)
    form = StatusForm()
    if form.validate_on_submit():
        own = form.statement.data if form.statement_kind.data == "own" else None
        args = (certificate, CertStatus(form.status.data), form.cause.data, form.reason.data)
        with rule_errors(form.reason):
            change = lifecycle.prepare_status_change(*args, own)
            if request.form.get("step") == "confirm":
                lifecycle.change_status(*args, current_user, own)
                flash(_("Stato del certificato aggiornato: il registro pubblico mostra la nuova dichiarazione."), "success")
                return redirect(url_for("certification.certificate", certificate_id=certificate.id))
            if request.form.get("step") != "edit":
                preview = statements.standard(change.status, change.cause) if own is None else change.statement
                return render_template("certification/status_preview.html", certificate=certificate, form=form,
                                       change=change, preview=preview, causes=statements.CAUSES)
    return certificate_page(certificate, form)


@bp.post("/certificati/<int:certificate_id>/sorveglianza")
@staff_only
def open_review(certificate_id: int):
    certificate = load_or_404(Certificate, certificate_id)
    form = ReviewOpenForm()
    form.auditor.choices = _auditor_choices()
    if form.validate_on_submit():
        with rule_errors():
            lifecycle.open_review(certificate, db.session.get(User, form.auditor.data), form.due_on.data, current_user)
            flash(_("Sorveglianza aperta: il valutatore e l'azienda sono stati avvisati."), "success")
    elif form.errors:
        flash(_("Scegli il valutatore e una data valida."), "danger")
    return redirect(url_for("certification.certificate", certificate_id=certificate.id))


@bp.route("/sorveglianze/<int:review_id>", methods=["GET", "POST"])
@roles(Role.AUDITOR, Role.STAFF, Role.ADMIN)
def review(review_id: int):
    review = load_or_404(SurveillanceReview, review_id, right="edit" if request.method == "POST" else None)
    typed = {}
    status = 200
    if CsrfForm().validate_on_submit():
        typed, status = request.form, 422  # unless saved below
        with rule_errors():
            lifecycle.save_review(review, current_user, grids.review_items(request.form, list(review.items)),
                                  request.form.get("summary", ""), request.form.get("version"),
                                  close=request.form.get("action") == "close")
            flash(_("Sorveglianza salvata."), "success")
            return redirect(url_for("certification.review", review_id=review.id))
    params = {p.code: p for p in lifecycle.key_parameters(review.certificate)}
    previous = {a.parameter.code: a for a in review.certificate.application.answers}
    return render_template("certification/review.html", review=review, params=params, previous=previous, typed=typed,
                           result=lifecycle.review_result(review)), status


AGEING_ROWS = 20  # the longest-waiting applications; the full list is one click away


@bp.get("/cruscotto")
@staff_only
def dashboard():
    today = date.today()
    by_state = dict(db.session.execute(select(Application.state, func.count()).group_by(Application.state)).all())
    open_apps = db.session.scalars(
        select(Application).options(joinedload(Application.company))
        .where(Application.state.not_in([AppState.GRANTED, AppState.REFUSED, AppState.DRAFT]))
        .order_by(Application.state_changed_at)
    ).all()
    ageing = [(a, (today - a.state_changed_at.date()).days) for a in open_apps]
    workload = db.session.execute(
        select(Assignment.auditor_id, func.count())
        .join(Application).where(Assignment.status != AssignmentStatus.DECLINED,
                                 Application.state.in_([AppState.UNDER_REVIEW, AppState.CHANGES_REQUESTED, AppState.SUBMITTED]))
        .group_by(Assignment.auditor_id)
    ).all()
    auditors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([w[0] for w in workload])))}
    expiring = db.paginate(lifecycle.expiring(90, today).options(joinedload(Certificate.company)), per_page=20)
    return render_template("certification/dashboard.html", by_state=by_state, ageing=ageing[:AGEING_ROWS], open_count=len(ageing),
                           workload=[(auditors[a], n) for a, n in workload], expiring=expiring,
                           cert_counts=_certificate_counts(today), today=today)


def _certificate_counts(today: date) -> dict[CertStatus, int]:
    """Certificates by the status the public sees (Certificate.status_on), counted in the database."""
    counts = {s: 0 for s in CertStatus}
    counts.update(db.session.execute(select(Certificate.status, func.count()).group_by(Certificate.status)).all())
    lapsed = db.session.scalar(select(func.count()).where(Certificate.status == CertStatus.ACTIVE, Certificate.expires_on < today))
    counts[CertStatus.ACTIVE] -= lapsed
    counts[CertStatus.EXPIRED] += lapsed
    return counts

