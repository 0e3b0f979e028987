"""Certificates for staff and companies: detail, PDF, status changes and suspension proposals, dashboard."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.access import COMPANY_ROLES, Role, ensure, roles, staff_only
from portal.certification import certificates as lifecycle
from portal.certification import conflicts, proposals, statements, surveillance
from portal.certification.blueprint import bp
from portal.certification.forms import AssignForm, DismissProposalForm, StatusForm
from portal.certification.models import (
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Certificate,
    CertStatus,
    ProposalStatus,
    ReviewStatus,
    SurveillanceReview,
    SuspensionProposal,
)
from portal.certification.pdf import certificate_pdf
from portal.certification.views_register import filtered_page
from portal.extensions import db
from portal.forms import options
from portal.geography import REGIONS
from portal.members.models import User
from portal.navigation import Task, add_nav, task_provider
from portal.pdf import pdf_response
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Certificati Bollino Blu"), "certification.certificates", order=21)
add_nav(_l("Cruscotto Bollino Blu"), "certification.dashboard", order=22)

SURVEILLANCE_HORIZON = 60  # the dashboard lists surveillance due within this many days


@task_provider
def staff_certificate_tasks(user):
    if not user.is_staff:
        return
    soon = db.session.scalar(select(func.count()).select_from(lifecycle.expiring(90).subquery()))
    if soon:
        yield Task(_("Certificati Bollino Blu in scadenza nei prossimi 90 giorni"), url_for("certification.dashboard"), soon)
    waiting = db.session.scalar(select(func.count(SuspensionProposal.id)).where(SuspensionProposal.status == ProposalStatus.OPEN))
    if waiting:
        yield Task(_("Proposte di sospensione da decidere"), url_for("certification.dashboard", _anchor="proposte"), waiting, urgent=True)
    unassigned = db.session.scalar(select(func.count()).select_from(surveillance.pending(ReviewStatus.OPEN, ReviewStatus.SUBMITTED).where(
        (SurveillanceReview.auditor_id.is_(None)) | (SurveillanceReview.assignment_status == AssignmentStatus.DECLINED)).subquery()))
    if unassigned:
        yield Task(_("Sorveglianze annuali senza valutatore"), url_for("certification.dashboard", _anchor="sorveglianze"), unassigned)


@bp.get("/certificati")
@roles(*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
def certificates():
    page, filters, error = filtered_page(request.args, current_user.company_id if current_user.is_company_user else None)
    return render_template("certification/certificates.html", page=page, regions=REGIONS, filters=filters,
                           error=error), (400 if error else 200)


@bp.get("/certificati/<int:certificate_id>")
@roles(*COMPANY_ROLES, Role.STAFF, Role.ADMIN)
def certificate(certificate_id: int):
    return certificate_page(load_or_404(Certificate, certificate_id))


def status_form_for(certificate: Certificate, form: StatusForm | None = None) -> StatusForm:
    """The status form offering only the changes the rules allow today (a suspended certificate is not offered "Sospendi")."""
    form = form or StatusForm()
    form.status.choices = [choice for choice in form.status.choices
                           if certificate.current_status in lifecycle.TRANSITIONS[CertStatus(choice.value)]]
    return form


def certificate_page(certificate: Certificate, status_form: StatusForm | None = None,
                     assign_forms: dict | None = None, dismiss_forms: dict | None = None):
    """The certificate page; a form that failed comes back with what staff typed (422)."""
    open_proposals = proposals.open_proposals(certificate) if current_user.is_staff else []
    auditors = options((u.id, u.name) for u in surveillance.eligible_auditors())
    forms = {}
    for review in certificate.reviews:
        forms[review.id] = AssignForm(prefix=f"review-{review.id}")
        forms[review.id].auditor.choices = auditors
    forms |= assign_forms or {}
    dismissals = {p.id: DismissProposalForm(prefix=f"dismiss-{p.id}") for p in open_proposals} | (dismiss_forms or {})
    status_form = status_form_for(certificate, status_form)
    opens, _closes = lifecycle.renewal_window(certificate)
    return render_template(
        "certification/certificate.html", certificate=certificate, status_form=status_form,
        statement=statements.public_statement(certificate), event_statement=statements.event_statement,
        proposals=open_proposals, dismiss_forms=dismissals, assign_forms=forms,
        renewal_refusal=lifecycle.renewal_refusal(certificate), renewal_opens=opens, renewal=lifecycle.open_renewal(certificate),
        conflicts=conflicts.conflicted_auditors(certificate.company_id) if current_user.is_staff else {}, today=date.today(),
        window_opens=surveillance.window_opens,
    ), form_status(status_form, *forms.values(), *dismissals.values())


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
        proposal = None
        if request.form.get("proposal", "").isdigit():
            proposal = db.session.get(SuspensionProposal, int(request.form["proposal"]))
            ensure(proposal is not None and proposal.certificate_id == certificate.id, status=404)
        own = form.statement.data if form.statement_kind.data == "own" else None
        args = (certificate, CertStatus(form.status.data), form.cause.data, form.reason.data)
        with rule_errors(form.reason):
            change = lifecycle.prepare_status_change(*args, own)
            if request.form.get("step") == "confirm":
                lifecycle.change_status(*args, current_user, own, proposal=proposal)
                flash(_("Stato del certificato aggiornato: il registro pubblico mostra la nuova dichiarazione."), "success")
                return redirect(url_for("certification.certificate", certificate_id=certificate.id))
            if request.form.get("step") != "edit":
                preview = statements.standard(change.status, change.cause) if own is None else change.statement
                return render_template("certification/status_preview.html", certificate=certificate, form=form,
                                       change=change, preview=preview, causes=statements.CAUSES, proposal=proposal)
    return certificate_page(certificate, form)


@bp.post("/proposte/<int:proposal_id>/archivia")
@staff_only
def dismiss_proposal(proposal_id: int):
    proposal = db.get_or_404(SuspensionProposal, proposal_id)
    form = DismissProposalForm(prefix=f"dismiss-{proposal.id}")
    if form.validate_on_submit():
        with rule_errors(form.note):
            proposals.dismiss(proposal, current_user, form.note.data)
            flash(_("Proposta archiviata: il certificato resta com'è."), "success")
            return redirect(url_for("certification.certificate", certificate_id=proposal.certificate_id))
    return certificate_page(proposal.certificate, dismiss_forms={proposal.id: form})


AGEING_ROWS = 20  # the longest-waiting applications; the full list is one click away


@bp.get("/cruscotto")
@staff_only
def dashboard():
    today = date.today()
    by_state = dict(db.session.execute(select(Application.state, func.count()).group_by(Application.state)).all())
    open_apps = db.session.scalars(
        select(Application).options(joinedload(Application.company))
        .where(Application.state.not_in([AppState.GRANTED, AppState.REFUSED, AppState.WITHDRAWN, AppState.DRAFT]))
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
                           cert_counts=_certificate_counts(today), today=today,
                           surveillance=_surveillance_rows(today), proposals=_open_proposals())


def _surveillance_rows(today: date) -> list[SurveillanceReview]:
    """Surveillance not closed that is due within the horizon or already overdue, most urgent first."""
    return db.session.scalars(
        surveillance.pending(ReviewStatus.SCHEDULED, ReviewStatus.OPEN, ReviewStatus.SUBMITTED)
        .options(joinedload(SurveillanceReview.certificate), joinedload(SurveillanceReview.auditor))
        .where(SurveillanceReview.due_on <= today + timedelta(days=SURVEILLANCE_HORIZON))
        .order_by(SurveillanceReview.due_on)).all()


def _open_proposals() -> list[SuspensionProposal]:
    return db.session.scalars(select(SuspensionProposal).options(joinedload(SuspensionProposal.certificate))
                              .where(SuspensionProposal.status == ProposalStatus.OPEN).order_by(SuspensionProposal.created_at)).all()


def _certificate_counts(today: date) -> dict[CertStatus, int]:
    """Certificates by the status the public sees (Certificate.status_on), counted in the database."""
    counts = {s: 0 for s in CertStatus}
    counts.update(db.session.execute(select(Certificate.status, func.count()).group_by(Certificate.status)).all())
    lapsed = db.session.scalar(select(func.count()).where(Certificate.status == CertStatus.ACTIVE, Certificate.expires_on < today))
    counts[CertStatus.ACTIVE] -= lapsed
    counts[CertStatus.EXPIRED] += lapsed
    return counts
