"""The company's application: open, answer area by area, attach evidence, submit, follow."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.access import COMPANY_ROLES, STAFF_ROLES, Role, authenticated, company_only, ensure, roles
from portal.certification import answers as answer_rules
from portal.certification import grids, services
from portal.certification.blueprint import bp
from portal.certification.forms import AssignForm, OpenApplicationForm, RemoveAssignmentForm
from portal.certification.models import (
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Certificate,
    Evidence,
    EvidenceLink,
    Submission,
)
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.members.models import Company
from portal.navigation import Task, add_nav, task_provider
from portal.uploads import send_stored
from portal.views import form_status, load_or_404, rule_errors

add_nav(_l("Domande di Bollino Blu"), "certification.applications", order=20)


@task_provider
def application_tasks(user):
    if user.is_company_user and user.company_id:
        for app in db.session.scalars(select(Application).where(
                Application.company_id == user.company_id, Application.state.in_([AppState.DRAFT, AppState.CHANGES_REQUESTED]))):
            label = (_("Rispondi alle domande del valutatore (domanda n. %(id)s)", id=app.id)
                     if app.state == AppState.CHANGES_REQUESTED else _("Completa e invia la domanda di Bollino Blu n. %(id)s", id=app.id))
            yield Task(label, url_for("certification.application", application_id=app.id), urgent=app.state == AppState.CHANGES_REQUESTED)
    if user.is_staff:
        waiting = db.session.scalar(select(db.func.count(Application.id)).where(Application.state == AppState.SUBMITTED))
        if waiting:
            yield Task(_("Domande di Bollino Blu da assegnare ai valutatori"),
                       url_for("certification.applications", stato=AppState.SUBMITTED.value), waiting, urgent=True)
        deciding = db.session.scalar(select(db.func.count(Application.id)).where(Application.state == AppState.AWAITING_DECISION))
        if deciding:
            yield Task(_("Domande di Bollino Blu da decidere"),
                       url_for("certification.applications", stato=AppState.AWAITING_DECISION.value), deciding, urgent=True)


def _list_query(user):
    query = (select(Application).join(Company).order_by(Application.state_changed_at.desc(), Application.id.desc())
             .options(contains_eager(Application.company), joinedload(Application.edition), selectinload(Application.sites)))
    if user.is_company_user:
        return query.where(Application.company_id == user.company_id)
    if user.is_auditor:
        return query.where(Application.assignments.any(
            (Assignment.auditor_id == user.id) & (Assignment.status != AssignmentStatus.DECLINED)))
    return query


@bp.get("/domande")
@roles(*COMPANY_ROLES, Role.AUDITOR, *STAFF_ROLES)  # not a consultee: `_list_query` lists everything to non-company, non-auditor users
def applications():
    state = request.args.get("stato", "")
    q = request.args.get("q", "").strip()
    query = _list_query(current_user)
    if state in {s.value for s in AppState}:
        query = query.where(Application.state == state)
    if q and current_user.is_staff:
        query = query.where(or_(Company.ragione_sociale.ilike(f"%{q}%"), Company.partita_iva.like(f"%{q}%")))
    page = db.paginate(query, per_page=20)
    certificates = []
    if current_user.is_company_user:
        certificates = db.session.scalars(select(Certificate).where(Certificate.company_id == current_user.company_id)
                                          .order_by(Certificate.issued_on.desc())).all()
    return render_template("certification/applications.html", page=page, state=state, q=q, certificates=certificates)


@bp.route("/domande/nuova", methods=["GET", "POST"])
@company_only
def new_application():
    company = current_user.company
    if company is None:
        abort(404)
    renewal = None
    renewal_id = request.values.get("rinnovo") or request.form.get("renewal_of")
    if renewal_id:
        renewal = db.session.get(Certificate, int(renewal_id)) if str(renewal_id).isdigit() else None
        ensure(renewal is not None and renewal.company_id == company.id, status=404)
    form = OpenApplicationForm()
    form.sites.choices = options((s.id, f"{s.name} — {s.comune}") for s in company.sites)
    if request.method == "GET" and renewal is not None:
        form.sites.data = [s.id for s in renewal.sites]
        form.renewal_of.data = str(renewal.id)
    if form.validate_on_submit():
        with rule_errors(form.sites):
            application = services.open_application(company, form.sites.data, current_user, renewal)
            flash(_("Domanda aperta: compila le aree e invia quando è completa."), "success")
            return redirect(url_for("certification.application", application_id=application.id))
    return render_template("certification/application_new.html", form=form, company=company, renewal=renewal), form_status(form)


WITH_AUDITORS = [selectinload(Application.assignments).joinedload(Assignment.auditor)]


@bp.get("/domande/<int:application_id>")
@authenticated
def application(application_id: int):
    return render_application(load_or_404(Application, application_id, options=WITH_AUDITORS))


def render_application(application: Application, remove_forms: dict | None = None):
    """The application page; `remove_forms` brings back a refused removal with its error and the typed reason."""
    show_answers = application.can_view_answers(current_user)
    assign_form = AssignForm()
    assign_form.auditor.choices = options((u.id, u.name) for u in services.eligible_auditors(application))
    return render_template(
        "certification/application.html",
        application=application,
        show_answers=show_answers,
        answers={a.parameter_id: a for a in application.answers} if show_answers else {},
        evidence=answer_rules.evidence_by_parameter(application) if show_answers else {},
        progress=answer_rules.progress(application),
        missing=services.submission_missing(application) if application.can_edit(current_user) else [],
        change_requests=services.change_requests(application) if show_answers else [],
        submissions=db.session.scalars(select(Submission).where(Submission.application_id == application.id).order_by(Submission.round)).all(),
        my_assignment=application.assignment_of(current_user),
        assign_form=assign_form,
        remove_forms=_removal_forms(application) | (remove_forms or {}),
        removals=services.removals(application) if current_user.is_staff else {},
        csrf_form=CsrfForm(),
    ), form_status(*(remove_forms or {}).values())


def _removal_forms(application: Application) -> dict[int, RemoveAssignmentForm]:
    """A form to take the auditor off, for each assignment staff may still remove."""
    if not current_user.is_staff:
        return {}
    return {a.id: RemoveAssignmentForm.for_assignment(a.id) for a in application.assignments
            if services.removal_refusal(a) is None}


def _area_or_404(application: Application, code: str):
    for area in application.edition.areas:
        if area.code == code:
            return area
    abort(404)


@bp.route("/domande/<int:application_id>/aree/<code>", methods=["GET", "POST"])
@company_only
def edit_area(application_id: int, code: str):
    application = load_or_404(Application, application_id, right="view_answers")
    area = _area_or_404(application, code)
    if not application.can_edit(current_user):
        if request.method == "GET":
            flash(_("La domanda è stata inviata e non è più modificabile."), "warning")
            return redirect(url_for("certification.application", application_id=application.id))
        # Sent by a colleague meanwhile: nothing is saved, but what was typed is shown again.
        flash(_("Un collega ha inviato la domanda mentre la modificavi: le tue modifiche non sono state salvate. "
                "Le trovi qui sotto per copiarle, se servono."), "danger")
        return _area_page(application, area, request.form, status=409)
    if not CsrfForm().validate_on_submit():
        return _area_page(application, area)
    result = services.save_area(
        application, area, current_user, grids.answer_entries(request.form), grids.responses(request.form),
        grids.evidence_inputs(request.form, request.files, [p.id for p in area.parameters]),
    )
    if result.complete:
        flash(_("Risposte salvate."), "success")
        target = request.form.get("next_area") or area.code
        return redirect(url_for("certification.edit_area", application_id=application.id, code=target))
    flash(_("Alcuni campi non sono stati salvati: li trovi evidenziati qui sotto, con quello che avevi scritto."), "danger")
    return _area_page(application, area, request.form, result, status=422)


def _area_page(application: Application, area, typed=None, result: services.AreaResult | None = None, status: int = 200):
    """An area's form; after a save, what was typed and each refusal beside its parameter."""
    result = result or services.AreaResult()
    return render_template(
        "certification/area_form.html", application=application, area=area, form=CsrfForm(), typed=typed or {},
        errors=result.errors, file_errors=result.file_errors, conflicts=result.conflicts,
        answers={a.parameter_id: a for a in application.answers},
        links=_links_by_parameter(application),
        reusable=services.reusable_evidence(application.company_id),
        requests={c.parameter_id: c for c in services.current_change_requests(application)},
        progress={p.area.code: p for p in answer_rules.progress(application)},
    ), status


def _links_by_parameter(application: Application) -> dict[int, list[EvidenceLink]]:
    grouped: dict[int, list[EvidenceLink]] = {}
    for link in db.session.scalars(select(EvidenceLink).where(EvidenceLink.application_id == application.id).order_by(EvidenceLink.id)):
        grouped.setdefault(link.parameter_id, []).append(link)
    return grouped


@bp.post("/domande/<int:application_id>/prove/<int:link_id>/scollega")
@company_only
def unlink_evidence(application_id: int, link_id: int):
    application = load_or_404(Application, application_id, right="view_answers")
    link = db.get_or_404(EvidenceLink, link_id)
    ensure(link.application_id == application.id, status=404)
    code = link.parameter.area.code
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.unlink_evidence(application, link, current_user)
            flash(_("Prova tolta dalla domanda (resta nell'archivio dell'azienda)."), "success")
    return redirect(url_for("certification.edit_area", application_id=application.id, code=code))


@bp.get("/domande/<int:application_id>/prove/<int:evidence_id>")
@authenticated
def evidence_file(application_id: int, evidence_id: int):
    application = load_or_404(Application, application_id, right="view_answers")
    linked = db.session.scalar(select(EvidenceLink.id).where(
        EvidenceLink.application_id == application.id, EvidenceLink.evidence_id == evidence_id))
    ensure(linked is not None, status=404)
    evidence = db.get_or_404(Evidence, evidence_id)
    office = evidence.stored_file.kind not in ("pdf", "png", "jpeg")
    response = send_stored(evidence.stored_file, as_attachment=office or request.args.get("scarica") == "1")
    # The auditor's page shows the file in a frame of the portal itself, never of another site.
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


@bp.post("/domande/<int:application_id>/invia")
@company_only
def submit_application(application_id: int):
    application = load_or_404(Application, application_id, right="view_answers")
    if CsrfForm().validate_on_submit():
        with rule_errors():
            services.submit(application, current_user)
            flash(_("Domanda inviata: riceverai un'e-mail a ogni passo."), "success")
    return redirect(url_for("certification.application", application_id=application.id))
