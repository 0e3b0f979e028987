"""Audit and decision: staff assign auditors, auditors declare and score, staff compare and decide."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import Role, ensure, roles, staff_only
from portal.certification import answers as answer_rules
from portal.certification import evaluation, grids, services
from portal.certification.blueprint import bp
from portal.certification.forms import (
    OUTCOME_VALUES,
    AssignForm,
    DecisionForm,
    DeclarationForm,
    DeclineForm,
    RecommendationForm,
    RemoveAssignmentForm,
)
from portal.certification.models import Application, AppState, Assignment, AssignmentStatus, Submission
from portal.certification.views_application import WITH_AUDITORS, render_application
from portal.extensions import db
from portal.forms import CsrfForm, options
from portal.linked_checks import linked_checks
from portal.members.models import User
from portal.navigation import Task, task_provider
from portal.views import form_status, load_or_404, rule_errors

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


@bp.post("/domande/<int:application_id>/valutatori")
@staff_only
def assign(application_id: int):
    application = load_or_404(Application, application_id)
    form = AssignForm()
    form.auditor.choices = options((u.id, u.name) for u in services.eligible_auditors(application))
    if form.validate_on_submit():
        with rule_errors():
            services.assign_auditor(application, db.session.get(User, form.auditor.data), current_user)
            flash(_("Valutatore incaricato: riceverà un'e-mail."), "success")
    elif form.errors:
        flash(_("Scegli un valutatore dall'elenco."), "danger")
    return redirect(url_for("certification.application", application_id=application.id))


@bp.post("/domande/<int:application_id>/valutatori/<int:assignment_id>/revoca")
@staff_only
def remove_assignment(application_id: int, assignment_id: int):
    application = load_or_404(Application, application_id, options=WITH_AUDITORS)
    assignment = db.get_or_404(Assignment, assignment_id)
    ensure(assignment.application_id == application.id, status=404)
    form = RemoveAssignmentForm.for_assignment(assignment.id)
    if form.validate_on_submit():
        with rule_errors(form.reason):
            services.remove_assignment(assignment, current_user, form.reason.data)
            flash(_("Incarico tolto a %(name)s, che riceverà un'e-mail: potete incaricare un altro valutatore.",
                    name=assignment.auditor.name), "success")
            return redirect(url_for("certification.application", application_id=application.id))
    return render_application(application, {assignment.id: form})


@bp.route("/incarichi/<int:assignment_id>/dichiarazione", methods=["GET", "POST"])
@roles(*AUDITOR_ROLES)
def declaration(assignment_id: int):
    assignment = load_or_404(Assignment, assignment_id)
    declare_form = DeclarationForm(prefix="d")
    decline_form = DeclineForm(prefix="r")
    if "r-reason" in request.form:
        if decline_form.validate_on_submit():
            with rule_errors(decline_form):
                services.decline_assignment(assignment, current_user, decline_form.reason.data)
                flash(_("Incarico rifiutato: lo staff è stato avvisato."), "success")
                return redirect(url_for("core.home"))
    elif declare_form.validate_on_submit():
        with rule_errors(declare_form):
            services.declare_no_conflict(assignment, current_user, str(declare_form.statement.label.text))
            flash(_("Dichiarazione registrata: ora potete vedere le risposte e valutare."), "success")
            return redirect(url_for("certification.scoring", assignment_id=assignment.id))
    return render_template("certification/declaration.html", assignment=assignment, declare_form=declare_form,
                           decline_form=decline_form), form_status(declare_form, decline_form)


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
        checks=linked_checks(application.company_id),  # the tariff and 24-bis pictures beside their parameters
        result=evaluation.evaluate_values(application, evaluation.auditor_values(assignment, application.round)),
        typed=typed or {}, errors=errors or {}, conflicts=conflicts or {},
    ), status


@bp.route("/incarichi/<int:assignment_id>/valutazione", methods=["GET", "POST"])
@roles(*AUDITOR_ROLES)
def scoring(assignment_id: int):
    assignment = load_or_404(Assignment, assignment_id)
    ensure(assignment.status != AssignmentStatus.DECLINED)  # refused, or taken off by staff
    application = assignment.application
    if not application.can_view_answers(current_user):
        flash(_("Prima di vedere le risposte dichiarate l'assenza di conflitti di interesse."), "warning")
        return redirect(url_for("certification.declaration", assignment_id=assignment.id))
    if request.method == "POST" and CsrfForm().validate_on_submit():
        with rule_errors():
            result = services.save_scores(assignment, current_user, grids.score_entries(request.form))
            if result.errors or result.conflicts:
                flash(_("Alcuni punteggi non sono stati salvati: li trovi evidenziati qui sotto."), "danger")
                return _scoring_page(assignment, request.form, result.errors, result.conflicts, status=422)
            if request.form.get("action") == "request_changes":
                services.request_changes(assignment, current_user, grids.questions(request.form))
                flash(_("Richiesta di integrazioni inviata all'azienda."), "success")
                return redirect(url_for("certification.application", application_id=application.id))
            flash(_("Punteggi salvati."), "success")
            return redirect(url_for("certification.scoring", assignment_id=assignment.id))
        return _scoring_page(assignment, request.form, status=422)  # refused: the message is flashed
    return _scoring_page(assignment)


@bp.post("/incarichi/<int:assignment_id>/raccomandazione")
@roles(*AUDITOR_ROLES)
def recommend(assignment_id: int):
    assignment = load_or_404(Assignment, assignment_id)
    form = RecommendationForm()
    if form.validate_on_submit():
        with rule_errors(form):
            services.recommend(assignment, current_user, OUTCOME_VALUES[form.recommendation.data], form.summary.data, form.version.data)
            flash(_("Raccomandazione registrata."), "success")
            return redirect(url_for("certification.application", application_id=assignment.application_id))
    if not assignment.application.can_view_answers(current_user):
        return redirect(url_for("certification.declaration", assignment_id=assignment.id))
    return _scoring_page(assignment, rec_form=form, status=form_status(form))


@bp.get("/domande/<int:application_id>/confronto")
@staff_only
def comparison(application_id: int):
    application = load_or_404(Application, application_id)
    assignments, rows = evaluation.comparison(application)
    results = [evaluation.evaluate_values(application, evaluation.auditor_values(a, application.round)) for a in assignments]
    return render_template("certification/comparison.html", application=application, assignments=assignments, rows=rows,
                           results=results, combined=evaluation.combined_result(application))


@bp.route("/domande/<int:application_id>/decisione", methods=["GET", "POST"])
@staff_only
def decision(application_id: int):
    application = load_or_404(Application, application_id)
    ensure(not application.was_audited_by(current_user))  # who evaluated never decides
    form = DecisionForm()
    if request.method == "GET":
        form.version.data = application.version
    if form.validate_on_submit():
        with rule_errors(form.outcome):
            services.decide(application, current_user, OUTCOME_VALUES[form.outcome.data], form.reason.data, form.version.data)
            flash(_("Decisione registrata e comunicata all'azienda."), "success")
            return redirect(url_for("certification.application", application_id=application.id))
    assignments, rows = evaluation.comparison(application)
    return render_template("certification/decision.html", application=application, form=form,
                           result=evaluation.combined_result(application), assignments=assignments,
                           disagreements=[r for r in rows if r.disagree]), form_status(form)
