"""Audit and decision: staff assign auditors, auditors declare and score, staff compare and decide."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import Role, ensure, roles, staff_only
from portal.certification import answers as answer_rules
from portal.certification import evaluation, grids, services
from portal.certification.actions import attempt
from portal.certification.blueprint import bp
from portal.certification.forms import (
    OUTCOME_VALUES,
    AssignForm,
    CsrfForm,
    DecisionForm,
    DeclarationForm,
    DeclineForm,
    RecommendationForm,
    RemoveAssignmentForm,
)
from portal.certification.models import Application, AppState, Assignment, AssignmentStatus, Submission
from portal.certification.views_application import WITH_AUDITORS, application_for, render_application
from portal.extensions import db
from portal.members.models import User
from portal.navigation import Task, task_provider
from portal.rules import RuleError

AUDITOR_ROLES = (Role.AUDITOR, Role.STAFF, Role.ADMIN)


@task_provider
def auditor_tasks(user):
    if not user.is_authenticated or user.role not in AUDITOR_ROLES:
        return
    mine = db.session.scalars(select(Assignment).options(joinedload(Assignment.application).joinedload(Application.company))
                              .where(Assignment.auditor_id == user.id, Assignment.status != AssignmentStatus.DECLINED)).all()
    for a in mine:
        app = a.application
        if a.status == AssignmentStatus.PENDING and app.state not in (AppState.GRANTED, AppState.REFUSED):
            yield Task(_("Dichiara l'assenza di conflitti: %(c)s", c=app.company.ragione_sociale),
                       url_for("certification.declaration", assignment_id=a.id), urgent=True)
        elif a.can_score(user):
            yield Task(_("Valuta la domanda di %(c)s", c=app.company.ragione_sociale),
                       url_for("certification.scoring", assignment_id=a.id))


def assignment_for(assignment_id: int) -> Assignment:
    """Only the assigned auditor reaches their assignment; anybody else gets 404."""
    assignment = db.get_or_404(Assignment, assignment_id)
    ensure(assignment.auditor_id == current_user.id, status=404)
    return assignment


@bp.post("/domande/<int:application_id>/valutatori")
@staff_only
def assign(application_id: int):
    application = application_for(application_id)
    form = AssignForm()
    form.auditor.choices = [(u.id, u.name) for u in services.eligible_auditors(application)]
    if not attempt(lambda: services.assign_auditor(application, db.session.get(User, form.auditor.data), current_user),
                   _("Valutatore incaricato: riceverà un'e-mail."), form) and form.errors:
        flash(_("Scegli un valutatore dall'elenco."), "danger")
    return redirect(url_for("certification.application", application_id=application.id))


@bp.post("/domande/<int:application_id>/valutatori/<int:assignment_id>/revoca")
@staff_only
def remove_assignment(application_id: int, assignment_id: int):
    application = application_for(application_id, options=WITH_AUDITORS)
    assignment = db.get_or_404(Assignment, assignment_id)
    ensure(assignment.application_id == application.id, status=404)
    form = RemoveAssignmentForm.for_assignment(assignment.id)
    if form.validate_on_submit():
        try:
            services.remove_assignment(assignment, current_user, form.reason.data)
        except RuleError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(_("Incarico tolto a %(name)s, che riceverà un'e-mail: potete incaricare un altro valutatore.",
                    name=assignment.auditor.name), "success")
            return redirect(url_for("certification.application", application_id=application.id))
    return render_application(application, {assignment.id: form}, status=422)


@bp.route("/incarichi/<int:assignment_id>/dichiarazione", methods=["GET", "POST"])
@roles(*AUDITOR_ROLES)
def declaration(assignment_id: int):
    assignment = assignment_for(assignment_id)
    declare_form = DeclarationForm(prefix="d")
    decline_form = DeclineForm(prefix="r")
    if request.method == "POST":
        declining = "r-reason" in request.form
        form = decline_form if declining else declare_form
        if form.validate_on_submit():
            try:
                if declining:
                    services.decline_assignment(assignment, current_user, form.reason.data)
                else:
                    services.declare_no_conflict(assignment, current_user, str(form.statement.label.text))
            except RuleError as exc:
                flash(str(exc), "danger")
            else:
                if declining:
                    flash(_("Incarico rifiutato: lo staff è stato avvisato."), "success")
                    return redirect(url_for("core.home"))
                flash(_("Dichiarazione registrata: ora potete vedere le risposte e valutare."), "success")
                return redirect(url_for("certification.scoring", assignment_id=assignment.id))
    status = 422 if (declare_form.errors or decline_form.errors) else 200
    return render_template("certification/declaration.html", assignment=assignment, declare_form=declare_form,
                           decline_form=decline_form), status


def _linked_checks(application: Application) -> dict[str, dict | None]:
    """The tariff and 24-bis pictures beside their parameters; None while the provider is missing."""
    checks: dict[str, dict | None] = {"tariffs": None, "reshoring": None}
    try:
        from portal.tariffs.stats import company_rate_summary

        checks["tariffs"] = company_rate_summary(application.company_id)
    except ImportError:
        pass
    try:
        from portal.reshoring.notices import company_notice_status

        checks["reshoring"] = company_notice_status(application.company_id)
    except ImportError:
        pass
    return checks


def _submitted_answers(application: Application, round_: int) -> dict[str, str]:
    """What the company had sent in an earlier round, by parameter code ({} in round 1)."""
    submission = db.session.scalar(select(Submission).where(Submission.application_id == application.id, Submission.round == round_))
    return submission.answers if submission is not None else {}


def _scoring_page(assignment: Assignment, typed=None, errors=None, conflicts=None, rec_form=None, status=200):
    application = assignment.application
    return render_template(
        "certification/scoring.html",
        assignment=assignment, application=application, form=CsrfForm(),
        rec_form=rec_form or RecommendationForm(recommendation=assignment.recommendation or "grant",
                                                summary=assignment.summary, version=assignment.version),
        scores=assignment.scores_for_round(application.round),
        previous=assignment.scores_for_round(application.round - 1) if application.round > 1 else {},
        previous_answers=_submitted_answers(application, application.round - 1),
        answers={a.parameter_id: a for a in application.answers},
        evidence=answer_rules.evidence_by_parameter(application),
        history=services.change_requests(application),
        checks=_linked_checks(application),
        result=evaluation.evaluate_values(application, evaluation.auditor_values(assignment, application.round)),
        typed=typed or {}, errors=errors or {}, conflicts=conflicts or {},
    ), status


@bp.route("/incarichi/<int:assignment_id>/valutazione", methods=["GET", "POST"])
@roles(*AUDITOR_ROLES)
def scoring(assignment_id: int):
    assignment = assignment_for(assignment_id)
    ensure(assignment.status != AssignmentStatus.DECLINED)  # refused, or taken off by staff
    application = assignment.application
    if not application.can_view_answers(current_user):
        flash(_("Prima di vedere le risposte dichiarate l'assenza di conflitti di interesse."), "warning")
        return redirect(url_for("certification.declaration", assignment_id=assignment.id))
    if request.method == "POST" and CsrfForm().validate_on_submit():
        try:
            result = services.save_scores(assignment, current_user, grids.score_entries(request.form))
            if result.errors or result.conflicts:
                flash(_("Alcuni punteggi non sono stati salvati: li trovi evidenziati qui sotto."), "danger")
                return _scoring_page(assignment, request.form, result.errors, result.conflicts, status=422)
            if request.form.get("action") == "request_changes":
                services.request_changes(assignment, current_user, grids.questions(request.form))
                flash(_("Richiesta di integrazioni inviata all'azienda."), "success")
                return redirect(url_for("certification.application", application_id=application.id))
        except RuleError as exc:
            flash(str(exc), "danger")
            return _scoring_page(assignment, request.form, status=422)
        flash(_("Punteggi salvati."), "success")
        return redirect(url_for("certification.scoring", assignment_id=assignment.id))
    return _scoring_page(assignment)


@bp.post("/incarichi/<int:assignment_id>/raccomandazione")
@roles(*AUDITOR_ROLES)
def recommend(assignment_id: int):
    assignment = assignment_for(assignment_id)
    form = RecommendationForm()
    if form.validate_on_submit():
        try:
            services.recommend(assignment, current_user, OUTCOME_VALUES[form.recommendation.data], form.summary.data, form.version.data)
        except RuleError as exc:
            flash(str(exc), "danger")
        else:
            flash(_("Raccomandazione registrata."), "success")
            return redirect(url_for("certification.application", application_id=assignment.application_id))
    if not assignment.application.can_view_answers(current_user):
        return redirect(url_for("certification.declaration", assignment_id=assignment.id))
    return _scoring_page(assignment, rec_form=form, status=422)


@bp.get("/domande/<int:application_id>/confronto")
@staff_only
def comparison(application_id: int):
    application = application_for(application_id)
    assignments, rows = evaluation.comparison(application)
    results = [evaluation.evaluate_values(application, evaluation.auditor_values(a, application.round)) for a in assignments]
    return render_template("certification/comparison.html", application=application, assignments=assignments, rows=rows,
                           results=results, combined=evaluation.combined_result(application))


@bp.route("/domande/<int:application_id>/decisione", methods=["GET", "POST"])
@staff_only
def decision(application_id: int):
    application = application_for(application_id)
    ensure(not application.was_audited_by(current_user))  # who evaluated never decides
    form = DecisionForm()
    if request.method == "GET":
        form.version.data = application.version
    if form.validate_on_submit():
        try:
            services.decide(application, current_user, OUTCOME_VALUES[form.outcome.data], form.reason.data, form.version.data)
        except RuleError as exc:
            form.outcome.errors.append(str(exc))
        else:
            flash(_("Decisione registrata e comunicata all'azienda."), "success")
            return redirect(url_for("certification.application", application_id=application.id))
    assignments, rows = evaluation.comparison(application)
    status = 422 if form.errors else 200
    return render_template("certification/decision.html", application=application, form=form,
                           result=evaluation.combined_result(application), assignments=assignments,
                           disagreements=[r for r in rows if r.disagree]), status
