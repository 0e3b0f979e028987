"""Audit and decision: staff assign auditors, auditors declare and score, staff compare and decide."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.access import Role, authenticated, ensure, roles, staff_only
from portal.certification import answers as answer_rules
from portal.certification import evaluation, grids, nonconformities, services
from portal.certification.actions import confirmation, confirmed, conflict_declaration
from portal.certification.blueprint import bp
from portal.certification.forms import (
    OUTCOME_VALUES,
    AssignForm,
    DecisionForm,
    NonConformityForm,
    RecommendationForm,
    RemoveAssignmentForm,
)
from portal.certification.labels import OUTCOMES
from portal.certification.models import (
    CLOSED_STATES,
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Outcome,
    Parameter,
    Submission,
)
from portal.certification.views_application import WITH_AUDITORS, render_application
from portal.extensions import db
from portal.forms import CsrfForm, italian_options, options
from portal.linked_checks import linked_checks
from portal.members.models import User
from portal.navigation import Task, task_provider
from portal.views import form_status, load_or_404, rule_errors

AUDITOR_ROLES = (Role.AUDITOR, Role.STAFF, Role.ADMIN)


@task_provider
def auditor_tasks(user):
    if not user.is_authenticated or user.role not in AUDITOR_ROLES:
        return
    mine = db.session.scalars(select(Assignment).options(joinedload(Assignment.application).joinedload(Application.company),
                                                         joinedload(Assignment.application).selectinload(Application.sites))
                              .where(Assignment.auditor_id == user.id, Assignment.status != AssignmentStatus.DECLINED)).all()
    for a in mine:
        app = a.application
        sites = ", ".join(s.comune for s in app.sites)
        if a.status == AssignmentStatus.PENDING and app.state not in CLOSED_STATES:
            yield Task(_("Dichiara l'assenza di conflitti: domanda n. %(id)s di %(c)s (sedi: %(s)s)",
                         id=app.id, c=app.company.ragione_sociale, s=sites),
                       url_for("certification.declaration", assignment_id=a.id), urgent=True)
        elif a.can_score(user):
            yield Task(_("Valuta la domanda n. %(id)s di %(c)s (sedi: %(s)s)", id=app.id, c=app.company.ragione_sociale, s=sites),
                       url_for("certification.scoring", assignment_id=a.id))


@bp.post("/domande/<int:application_id>/valutatori")
@staff_only
def assign(application_id: int):
    application = load_or_404(Application, application_id)
    form = AssignForm()
    form.auditor.choices = options((u.id, u.name) for u in services.eligible_auditors(application))
    if form.validate_on_submit():
        with rule_errors():
            services.assign_auditor(application, db.session.get(User, form.auditor.data), current_user, form.override_reason.data)
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
    return conflict_declaration(
        "certification/declaration.html", {"assignment": assignment},
        declare=lambda user, statement: services.declare_no_conflict(assignment, user, statement),
        decline=lambda user, reason, conflict: services.decline_assignment(assignment, user, reason, conflict),
        declared=_("Dichiarazione registrata: ora potete vedere le risposte e valutare."),
        next_url=url_for("certification.scoring", assignment_id=assignment.id))


def _submitted_answers(application: Application, round_: int) -> dict[str, str]:
    """What the company had sent in an earlier round, by parameter code ({} in round 1)."""
    submission = db.session.scalar(select(Submission).where(Submission.application_id == application.id, Submission.round == round_))
    return submission.answers if submission is not None else {}


def _scoring_page(assignment: Assignment, typed=None, errors=None, conflicts=None, rec_form=None, status=200, nc_form=None,
                  mismatch=False):
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
        findings=nonconformities.of_application(application), nc_form=_nc_form(application, nc_form), mismatch=mismatch,
        result=evaluation.evaluate_values(application, evaluation.auditor_values(assignment, application.round)),
        typed=typed or {}, errors=errors or {}, conflicts=conflicts or {},
    ), status


def _nc_form(application: Application, form: NonConformityForm | None = None) -> NonConformityForm:
    form = form or NonConformityForm(prefix="nc")
    form.parameter.choices = italian_options((p.id, f"{p.code} {p.question[:60]}") for p in application.parameters)
    return form


@bp.post("/domande/<int:application_id>/non-conformita")
@roles(*AUDITOR_ROLES)
def raise_application_finding(application_id: int):
    """An auditor's finding on a parameter; refused, it comes back on the scoring page with what was typed."""
    application = load_or_404(Application, application_id, right="view_answers")
    assignment = application.assignment_of(current_user)
    ensure(assignment is not None, status=404)
    form = _nc_form(application)
    if form.validate_on_submit():
        with rule_errors(form.finding):
            nonconformities.raise_on_application(application, db.session.get(Parameter, form.parameter.data), current_user,
                                                 form.grade.data, form.finding.data, form.evidence.data, form.due_on.data)
            flash(_("Non conformità registrata: l'azienda riceve un'e-mail."), "success")
            return redirect(url_for("certification.scoring", assignment_id=assignment.id, _anchor="non-conformita"))
    return _scoring_page(assignment, nc_form=form, status=form_status(form))


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
    mismatch = False
    if form.validate_on_submit():
        with rule_errors(form.recommendation):
            try:
                services.recommend(assignment, current_user, OUTCOME_VALUES[form.recommendation.data], form.summary.data,
                                   form.version.data, confirm_mismatch=form.confirm_mismatch.data)
            except services.RecommendationMismatch:
                mismatch = True  # the page asks the auditor to confirm it
                raise
            flash(_("Raccomandazione registrata."), "success")
            return redirect(url_for("certification.application", application_id=assignment.application_id))
    if not assignment.application.can_view_answers(current_user):
        return redirect(url_for("certification.declaration", assignment_id=assignment.id))
    return _scoring_page(assignment, rec_form=form, status=form_status(form), mismatch=mismatch)


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
        outcome = OUTCOME_VALUES[form.outcome.data]
        with rule_errors(form.outcome):
            if not confirmed():
                services.check_decision(application, current_user, outcome, form.reason.data)
                return confirmation(
                    _("Registrare la decisione sulla domanda n. %(id)s?", id=application.id), str(OUTCOMES[outcome]),
                    [_("Il certificato sarà rilasciato e comparirà subito nel registro pubblico.") if outcome != Outcome.REFUSE
                     else _("La domanda sarà chiusa senza Bollino Blu."),
                     _("L'azienda riceve un'e-mail con la motivazione."), _("La decisione non si può annullare.")],
                    _("Registra la decisione"), url_for("certification.decision", application_id=application.id),
                    danger=outcome == Outcome.REFUSE)
            services.decide(application, current_user, outcome, form.reason.data, form.version.data)
            flash(_("Decisione registrata e comunicata all'azienda."), "success")
            return redirect(url_for("certification.application", application_id=application.id))
    assignments, rows = evaluation.comparison(application)
    return render_template("certification/decision.html", application=application, form=form,
                           result=evaluation.combined_result(application), assignments=assignments,
                           disagreements=[r for r in rows if r.disagree]), form_status(form)


@bp.get("/domande/<int:application_id>/riscontro")
@authenticated
def feedback(application_id: int):
    """After the decision, the company's feedback: per parameter the score and the comments written for it."""
    application = load_or_404(Application, application_id)
    ensure(application.is_company_user(current_user) or current_user.is_staff)
    ensure(application.state in (AppState.GRANTED, AppState.REFUSED), status=404)
    return render_template("certification/feedback.html", application=application, rows=evaluation.feedback(application),
                           answers={a.parameter_id: a for a in application.answers},
                           findings=nonconformities.of_application(application))
