"""Non-conformities, as certification bodies record them.

An auditor raises a finding on one parameter (major or minor) with the evidence seen and a due
date for the correction; the company answers with its correction and a document; the auditor
closes it, or reopens it when the correction is not enough. An open major non-conformity blocks a
grant; in surveillance, a major one left open past its due date puts a suspension proposal before
staff (the daily job). Every step shows in the application's timeline.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import record
from portal.certification import answers as answer_rules
from portal.certification import proposals
from portal.certification.labels import NC_GRADES
from portal.certification.models import (
    CLOSED_STATES,
    Application,
    AssignmentStatus,
    Evidence,
    NCGrade,
    NCStatus,
    NonConformity,
    Parameter,
    ReviewStatus,
    StateEvent,
    StatusCause,
    SurveillanceReview,
)
from portal.certification.notify import tell
from portal.certification.reminders import first_time
from portal.certification.surveillance import key_parameters
from portal.concurrency import commit_versioned
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import User
from portal.members.recipients import company_users
from portal.rules import RuleError
from portal.uploads import EVIDENCE_KINDS, store_upload
from portal.urls import absolute_url


def nc_url(nc: NonConformity) -> str:
    return absolute_url("certification.nonconformity", nc_id=nc.id)


def auditors_of(nc: NonConformity) -> list[User]:
    """Who may verify the correction: the auditors of its application or surveillance who declared no conflict."""
    if nc.application is not None:
        return [a.auditor for a in nc.application.assignments if a.status == AssignmentStatus.DECLARED]
    review = nc.review
    return [review.auditor] if review.auditor is not None and review.assignment_status == AssignmentStatus.DECLARED else []


def can_view(nc: NonConformity, user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_company_user:
        return user.company_id == nc.company_id
    return user.is_staff or any(a.id == user.id for a in auditors_of(nc))


def can_answer(nc: NonConformity, user) -> bool:
    return user.is_authenticated and user.is_company_user and user.company_id == nc.company_id and nc.status == NCStatus.OPEN


def can_verify(nc: NonConformity, user) -> bool:
    return (user.is_authenticated and nc.status == NCStatus.ANSWERED
            and (user.is_staff or any(a.id == user.id for a in auditors_of(nc))))


def _note_in_timeline(nc: NonConformity, text: str, actor: User) -> None:
    if nc.application is not None:
        state = nc.application.state.value
        db.session.add(StateEvent(application=nc.application, from_state=state, to_state=state, actor_id=actor.id, note=text))


def _describe(nc: NonConformity) -> str:
    return _("non conformità %(g)s su %(c)s", g=NC_GRADES[nc.grade], c=nc.parameter.code)


def _check_finding(grade: str, finding: str, due_on: date | None, on: date) -> None:
    if grade not in {g.value for g in NCGrade}:
        raise RuleError(_("Scegli se la non conformità è maggiore o minore."))
    if not (finding or "").strip():
        raise RuleError(_("Descrivi la non conformità: quale requisito non è soddisfatto."))
    if due_on is None or due_on < on:
        raise RuleError(_("Indica una data futura entro cui l'azienda deve correggere."))


def raise_on_application(application: Application, parameter: Parameter, auditor: User, grade: str, finding: str,
                         evidence: str, due_on: date | None, on: date | None = None) -> NonConformity:
    on = on or date.today()
    assignment = application.assignment_of(auditor)
    if assignment is None or assignment.status != AssignmentStatus.DECLARED or application.state in CLOSED_STATES:
        raise RuleError(_("Solo un valutatore della domanda, durante la valutazione, rileva non conformità."))
    if parameter.area.edition_id != application.edition_id or not application.applies(parameter):
        raise RuleError(_("Parametro non valido per questa domanda."))
    _check_finding(grade, finding, due_on, on)
    nc = _raise(parameter, auditor, grade, finding, evidence, due_on, application=application)
    _note_in_timeline(nc, _("Rilevata %(what)s, da correggere entro il %(d)s", what=_describe(nc), d=due_on.strftime("%d/%m/%Y")), auditor)
    commit_versioned()
    return nc


def raise_on_review(review: SurveillanceReview, parameter: Parameter, auditor: User, grade: str, finding: str,
                    evidence: str, due_on: date | None, on: date | None = None) -> NonConformity:
    on = on or date.today()
    if not review.can_score(auditor):
        raise RuleError(_("Solo il valutatore della sorveglianza, mentre la valuta, rileva non conformità."))
    if parameter.id not in {p.id for p in key_parameters(review)}:
        raise RuleError(_("Parametro non valido per questa sorveglianza."))
    _check_finding(grade, finding, due_on, on)
    nc = _raise(parameter, auditor, grade, finding, evidence, due_on, review=review)
    commit_versioned()
    return nc


def _raise(parameter, auditor, grade, finding, evidence, due_on, application=None, review=None) -> NonConformity:
    nc = NonConformity(application=application, review=review, parameter=parameter, grade=NCGrade(grade),
                       finding=finding.strip()[: answer_rules.MAX_TEXT], evidence=(evidence or "").strip()[: answer_rules.MAX_TEXT],
                       due_on=due_on, raised_by_id=auditor.id)
    db.session.add(nc)
    db.session.flush()
    record("bollino.nonconformity.raise", nc, {"grade": grade, "parameter": parameter.code, "due_on": due_on,
                                               "finding": finding}, actor=auditor)
    tell(company_users(nc.company_id), _("Bollino Blu: %(what)s", what=_describe(nc)),
         _("Il valutatore ha rilevato una non conformità: descrivete la correzione e allegate una prova entro il %(d)s.",
           d=due_on.strftime("%d/%m/%Y")), nc_url(nc), finding.strip())
    return nc


def answer(nc: NonConformity, user: User, correction: str, upload, title: str) -> None:
    """The company's correction, with a document that shows it."""
    if not can_answer(nc, user):
        raise RuleError(_("Questa non conformità non attende la vostra risposta."))
    if not (correction or "").strip():
        raise RuleError(_("Descrivi la correzione fatta."))
    if upload is not None and upload.filename:
        stored = store_upload(upload, EVIDENCE_KINDS, user)
        evidence = Evidence(company_id=nc.company_id, stored_file_id=stored.id, title=(title or stored.original_name)[:200])
        db.session.add(evidence)
        db.session.flush()
        nc.correction_evidence_id = evidence.id
    elif nc.correction_evidence_id is None:
        raise RuleError(_("Allega un documento che mostri la correzione."))
    nc.correction = correction.strip()[: answer_rules.MAX_TEXT]
    nc.status, nc.answered_by_id, nc.answered_at = NCStatus.ANSWERED, user.id, utcnow()
    record("bollino.nonconformity.answer", nc, {"correction": nc.correction}, actor=user)
    _note_in_timeline(nc, _("Correzione inviata per la %(what)s", what=_describe(nc)), user)
    tell(auditors_of(nc), _("Correzione ricevuta: %(what)s", what=_describe(nc)),
         _("L'azienda ha risposto alla non conformità: verificate la correzione e chiudetela, o riapritela."), nc_url(nc))
    commit_versioned()


def verify(nc: NonConformity, user: User, accepted: bool, note: str) -> None:
    """Close the non-conformity (correction verified) or reopen it (correction not enough), with a note."""
    if not can_verify(nc, user):
        raise RuleError(_("Questa non conformità non attende una verifica da parte vostra."))
    note = (note or "").strip()
    if not note:
        raise RuleError(_("Scrivi l'esito della verifica della correzione."))
    if accepted:
        nc.status, nc.closed_by_id, nc.closed_at, nc.closure_note = NCStatus.CLOSED, user.id, utcnow(), note
        text = _("Chiusa la %(what)s: correzione verificata", what=_describe(nc))
    else:
        nc.status, nc.closure_note = NCStatus.OPEN, note
        text = _("Riaperta la %(what)s: correzione non sufficiente", what=_describe(nc))
    record("bollino.nonconformity.close" if accepted else "bollino.nonconformity.reopen", nc, {"note": note}, actor=user)
    _note_in_timeline(nc, text, user)
    tell(company_users(nc.company_id), text, note, nc_url(nc))
    commit_versioned()


def of_application(application: Application) -> list[NonConformity]:
    return list(db.session.scalars(select(NonConformity).where(NonConformity.application_id == application.id)
                                   .order_by(NonConformity.id)))


def of_review(review: SurveillanceReview) -> list[NonConformity]:
    return list(db.session.scalars(select(NonConformity).where(NonConformity.review_id == review.id).order_by(NonConformity.id)))


def open_majors(application: Application) -> list[NonConformity]:
    """What blocks a grant."""
    return [nc for nc in of_application(application) if nc.grade == NCGrade.MAJOR and nc.status != NCStatus.CLOSED]


def flag_overdue(on: date) -> list[NonConformity]:
    """Surveillance findings past their due date: a major one puts a suspension proposal before staff (once)."""
    flagged = []
    overdue = db.session.scalars(select(NonConformity).join(SurveillanceReview, NonConformity.review_id == SurveillanceReview.id)
                                 .where(NonConformity.status != NCStatus.CLOSED, NonConformity.due_on < on,
                                        NonConformity.grade == NCGrade.MAJOR, SurveillanceReview.status != ReviewStatus.SCHEDULED))
    for nc in overdue:
        if not first_time(f"nc-overdue:{nc.id}", on):
            continue
        detail = _("Non conformità maggiore su %(c)s aperta il %(a)s, da correggere entro il %(d)s: %(f)s",
                   c=nc.parameter.code, a=nc.raised_at.strftime("%d/%m/%Y"), d=nc.due_on.strftime("%d/%m/%Y"), f=nc.finding)
        proposals.propose(nc.review.certificate, StatusCause.NONCONFORMITY_OVERDUE, detail, nonconformity=nc)
        flagged.append(nc)
    return flagged
