"""Every state change of an application: open, answer, submit, assign, declare, score, decide.

One function each; each checks its rule, writes the timeline and the audit log, queues its
e-mails and commits. Records edited by several people (answers, scores, recommendations,
the application itself at decision time) carry a version: a save based on an older version
is refused with `ConflictError`, so nobody silently overwrites a colleague.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.access import Role
from portal.audit import AuditEntry, record
from portal.certification import answers as answer_rules
from portal.certification import evaluation
from portal.certification.certificates import _issue_certificate
from portal.certification.grids import EvidenceInput
from portal.certification.labels import OUTCOMES
from portal.certification.models import (
    CLOSED_STATES,
    Answer,
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Certificate,
    ChangeRequest,
    Decision,
    Evidence,
    EvidenceLink,
    Outcome,
    Parameter,
    Score,
    StateEvent,
    Submission,
)
from portal.certification.notify import tell
from portal.certification.scheme import current_edition
from portal.concurrency import check_version, commit_versioned
from portal.database import utcnow
from portal.extensions import db
from portal.mail import queue_mail
from portal.members.models import Company, MembershipState, User
from portal.members.recipients import active_staff, company_users
from portal.rules import RuleError
from portal.uploads import EVIDENCE_KINDS, store_upload
from portal.urls import absolute_url

MAX_AUDITORS = 2
REMOVAL_ACTION = "bollino.assignment.remove"  # the audit entry that tells a removal from an auditor's own refusal


def application_url(application: Application) -> str:
    return absolute_url("certification.application", application_id=application.id)


def move(application: Application, to_state: AppState, actor: User | None, note: str = "") -> None:
    """Change state, add the step to the timeline and the audit log."""
    old = application.state
    application.state = to_state
    application.state_changed_at = utcnow()
    db.session.add(StateEvent(application=application, from_state=old.value if old else "", to_state=to_state.value,
                              actor_id=getattr(actor, "id", None), note=note))
    record("bollino.application.state", application, {"state": [old, to_state], "note": note}, actor=actor)


def tell_company(application: Application, subject: str, text: str, detail: str = "") -> None:
    tell(company_users(application.company_id), subject, text, application_url(application), detail)


# --- opening and answering ------------------------------------------------------------------

def open_application(company: Company, site_ids: list[int], user: User, renewal_of: Certificate | None = None) -> Application:
    if company.membership_state != MembershipState.ACTIVE:
        raise RuleError(_("Solo le aziende associate attive possono chiedere il Bollino Blu."))
    edition = current_edition()
    if edition is None:
        raise RuleError(_("Non c'è ancora un'edizione pubblicata dello schema: riprova più tardi."))
    sites = [s for s in company.sites if s.id in set(site_ids)]
    if not sites or len(sites) != len(set(site_ids)):
        raise RuleError(_("Scegli almeno una sede operativa della tua azienda."))
    busy = _sites_in_open_applications(company.id)
    clash = [s.name for s in sites if s.id in busy]
    if clash:
        raise RuleError(_("Queste sedi sono già in una domanda aperta: %(sites)s.", sites=", ".join(clash)))
    if renewal_of is not None and renewal_of.company_id != company.id:
        raise RuleError(_("Si può rinnovare solo un certificato della propria azienda."))
    application = Application(company=company, edition=edition, opened_by_id=user.id, sites=sites, renewal_of=renewal_of)
    db.session.add(application)
    db.session.add(StateEvent(application=application, to_state=AppState.DRAFT.value, actor_id=user.id,
                              note=_("Rinnovo del certificato %(n)s", n=renewal_of.number) if renewal_of else ""))
    db.session.flush()
    if renewal_of is not None:
        _carry_over(renewal_of.application, application)
    record("bollino.application.open", application, {"sites": [s.name for s in sites], "edition": edition.code,
                                                       "renewal_of": renewal_of.number if renewal_of else None})
    db.session.commit()
    return application


def _sites_in_open_applications(company_id: int) -> set[int]:
    open_apps = db.session.scalars(
        select(Application).where(Application.company_id == company_id, Application.state.not_in(list(CLOSED_STATES)))
    )
    return {site.id for app in open_apps for site in app.sites}


def _carry_over(previous: Application, application: Application) -> None:
    """A renewal starts from the previous answers and its evidence that has not expired."""
    by_code = {p.code: p for p in application.edition.parameters}
    for answer in previous.answers:
        parameter = by_code.get(answer.parameter.code)
        if parameter is not None:
            db.session.add(Answer(application=application, parameter_id=parameter.id, value=answer.value, note=answer.note))
    for link in db.session.scalars(select(EvidenceLink).where(EvidenceLink.application_id == previous.id)):
        parameter = by_code.get(link.parameter.code)
        if parameter is not None and link.evidence.is_valid():
            db.session.add(EvidenceLink(application_id=application.id, parameter_id=parameter.id, evidence_id=link.evidence_id))


def _ensure_editable(application: Application, user: User) -> None:
    if not application.can_edit(user):
        raise RuleError(_("La domanda è stata inviata e non è più modificabile."))


@dataclass
class SaveResult:
    saved: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # parameter id -> message
    conflicts: dict[int, str] = field(default_factory=dict)  # parameter id -> value saved by the other person


def save_answers(application: Application, user: User, entries: dict[int, dict]) -> SaveResult:
    """Save what is valid; report per parameter what is not (bad value, or saved meanwhile by a colleague).

    `entries[parameter_id] = {"value": raw, "note": str, "version": str|None}`; version is the
    answer's version the user saw ("" when there was no answer yet).
    """
    _ensure_editable(application, user)
    params = {p.id: p for p in application.edition.parameters}
    existing = {a.parameter_id: a for a in application.answers}
    result = SaveResult()
    changes = {}
    for pid, entry in entries.items():
        if pid in params:
            saved = _save_answer(application, params[pid], existing.get(pid), entry, user, result)
            if saved is not None:
                changes[params[pid].code] = saved
    if changes:
        record("bollino.answers.save", application, changes)
    commit_versioned()
    return result


def _save_answer(application: Application, parameter: Parameter, answer: Answer | None, entry: dict, user: User,
                 result: SaveResult) -> str | None:
    """One parameter's answer into the session: the value saved, or None (unchanged, or refused: `result` says why)."""
    try:
        value = answer_rules.parse_value(parameter, entry.get("value", ""))
    except ValueError as exc:
        result.errors[parameter.id] = str(exc)
        return None
    note = (entry.get("note") or "").strip()[: answer_rules.MAX_TEXT]
    if answer is None:
        answer = Answer(parameter_id=parameter.id, value="", note="")  # joins the application only if saved
        stored_version = ""  # the form sends "" for a parameter it showed unanswered
    else:
        stored_version = str(answer.version)
    if (answer.value, answer.note) == (value, note):
        return None
    if stored_version != (entry.get("version") or ""):
        result.conflicts[parameter.id] = answer.value  # saved by a colleague meanwhile
        return None
    if answer.id is None:
        answer.application = application
        db.session.add(answer)
    answer.value, answer.note, answer.updated_by_id = value, note, user.id
    result.saved += 1
    return value


@dataclass
class AreaResult:
    """What `save_area` did, per parameter id: each refusal with its reason, beside its field."""

    saved: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # a value refused, or the whole area refused
    conflicts: dict[int, str] = field(default_factory=dict)  # parameter id -> value a colleague saved
    file_errors: dict[int, str] = field(default_factory=dict)  # an upload or a reuse refused

    @property
    def complete(self) -> bool:
        return not (self.errors or self.conflicts or self.file_errors)


def save_area(application: Application, area, user: User, entries: dict[int, dict], responses: dict[int, str],
              evidence: dict[int, EvidenceInput]) -> AreaResult:
    """One area's page: its answers, the replies to the auditors' questions, then each parameter's
    evidence. Each part is kept or refused on its own: the company keeps what was accepted and
    sees every refusal beside its field, with what it typed."""
    area_ids = {p.id for p in area.parameters}
    entries = {pid: entry for pid, entry in entries.items() if pid in area_ids}
    result = AreaResult()
    try:
        answers = save_answers(application, user, entries)
        result.saved, result.errors, result.conflicts = answers.saved, answers.errors, answers.conflicts
        answer_change_requests(application, user, responses)
    except RuleError as exc:  # submitted meanwhile by a colleague, or a race caught by the database
        db.session.rollback()
        result.errors = dict.fromkeys(entries, str(exc))
    for parameter in area.parameters:
        if parameter.id in evidence:
            refusal = attach_evidence(application, parameter, evidence[parameter.id], user)
            if refusal:
                result.file_errors[parameter.id] = refusal
    return result


def attach_evidence(application: Application, parameter: Parameter, given: EvidenceInput, user: User) -> str | None:
    """A parameter's new file and/or reused evidence: None when done, else why it was refused."""
    try:
        if given.upload is not None:
            expires_on = answer_rules.parse_date(given.expires)
            add_evidence(application, parameter, given.upload, given.title, expires_on, user)
        if given.reuse_id is not None:
            evidence = db.session.get(Evidence, given.reuse_id)
            if evidence is None:
                raise RuleError(_("Prova non trovata."))
            reuse_evidence(application, parameter, evidence, user)
    except (RuleError, ValueError) as exc:
        db.session.rollback()
        return str(exc)
    return None


def add_evidence(application: Application, parameter: Parameter, upload, title: str, expires_on: date | None, user: User) -> Evidence:
    """Store an uploaded file as company evidence and link it to the parameter."""
    _ensure_editable(application, user)
    if parameter.area.edition_id != application.edition_id:
        raise RuleError(_("Parametro non valido per questa domanda."))
    if expires_on is not None and expires_on < date.today():
        raise RuleError(_("La data di scadenza è già passata: una prova scaduta non vale."))
    stored = store_upload(upload, EVIDENCE_KINDS, user)
    evidence = Evidence(company_id=application.company_id, stored_file_id=stored.id,
                        title=(title or stored.original_name)[:200], expires_on=expires_on)
    db.session.add(evidence)
    db.session.flush()
    db.session.add(EvidenceLink(application_id=application.id, parameter_id=parameter.id, evidence_id=evidence.id))
    record("bollino.evidence.upload", application, {"parameter": parameter.code, "file": stored.original_name,
                                                    "sha256": stored.sha256, "size": stored.size, "expires_on": expires_on})
    db.session.commit()
    return evidence


def reusable_evidence(company_id: int, on: date | None = None) -> list[Evidence]:
    """The company's evidence still valid, newest first."""
    on = on or date.today()
    return list(db.session.scalars(
        select(Evidence)
        .where(Evidence.company_id == company_id, (Evidence.expires_on.is_(None)) | (Evidence.expires_on >= on))
        .order_by(Evidence.created_at.desc(), Evidence.id.desc())
    ))


def reuse_evidence(application: Application, parameter: Parameter, evidence: Evidence, user: User) -> None:
    _ensure_editable(application, user)
    if evidence.company_id != application.company_id or parameter.area.edition_id != application.edition_id:
        raise RuleError(_("Questa prova non appartiene alla tua azienda."))
    if not evidence.is_valid():
        raise RuleError(_("La prova è scaduta e non può essere riutilizzata."))
    exists = db.session.scalar(select(EvidenceLink.id).where(
        EvidenceLink.application_id == application.id, EvidenceLink.parameter_id == parameter.id,
        EvidenceLink.evidence_id == evidence.id))
    if exists:
        return
    db.session.add(EvidenceLink(application_id=application.id, parameter_id=parameter.id, evidence_id=evidence.id))
    record("bollino.evidence.reuse", application, {"parameter": parameter.code, "evidence": evidence.title})
    db.session.commit()


def unlink_evidence(application: Application, link: EvidenceLink, user: User) -> None:
    _ensure_editable(application, user)
    if link.application_id != application.id:
        raise RuleError(_("Prova non collegata a questa domanda."))
    record("bollino.evidence.unlink", application, {"parameter": link.parameter.code, "evidence": link.evidence.title})
    db.session.delete(link)
    db.session.commit()


def answer_change_requests(application: Application, user: User, responses: dict[int, str]) -> None:
    _ensure_editable(application, user)
    open_requests = {c.id: c for c in current_change_requests(application)}
    changed = {}
    for cr_id, text in responses.items():
        request_ = open_requests.get(cr_id)
        text = (text or "").strip()[: answer_rules.MAX_TEXT]
        if request_ is not None and text != request_.response:
            request_.response, request_.responded_at = text, utcnow()
            changed[request_.parameter.code] = text
    if changed:
        record("bollino.changes.answer", application, changed)
        db.session.commit()


def current_change_requests(application: Application) -> list[ChangeRequest]:
    """The auditors' questions of the round the company is answering now."""
    return list(db.session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.application_id == application.id, ChangeRequest.round == application.round)
        .order_by(ChangeRequest.id)
    ))


def change_requests(application: Application) -> list[ChangeRequest]:
    return list(db.session.scalars(
        select(ChangeRequest).where(ChangeRequest.application_id == application.id)
        .order_by(ChangeRequest.round, ChangeRequest.id)
    ))


def submission_missing(application: Application) -> list[str]:
    missing = answer_rules.missing(application)
    if not application.channels and any(p.channel for p in application.edition.parameters):
        missing.append(_("nelle sedi della domanda indicate i canali di contatto serviti: gli indicatori di servizio sono per canale"))
    if application.state == AppState.CHANGES_REQUESTED:
        missing += [
            _("%(code)s: rispondi alla domanda del valutatore", code=c.parameter.code)
            for c in current_change_requests(application) if not c.response
        ]
    return missing


def submit(application: Application, user: User) -> None:
    """Send the application (or the answers to the auditors' questions) for evaluation."""
    _ensure_editable(application, user)
    missing = submission_missing(application)
    if missing:
        raise RuleError(_("Mancano ancora: %(list)s.", list="; ".join(missing)))
    resubmission = application.state == AppState.CHANGES_REQUESTED
    if resubmission:
        _start_new_round(application)
    db.session.add(Submission(
        application_id=application.id, round=application.round, submitted_by_id=user.id,
        answers={a.parameter.code: a.value for a in application.answers},
    ))
    application.submitted_at = utcnow()
    application.scope_channels = application.channels  # read while still editable: the sites' channels today
    if resubmission:
        move(application, AppState.UNDER_REVIEW, user, _("Integrazioni inviate (giro %(n)s)", n=application.round))
        auditors = [a.auditor for a in evaluation.scoring_assignments(application)]
        tell(auditors, _("Integrazioni ricevute: %(c)s", c=application.company.ragione_sociale),
             _("L'azienda ha risposto alle vostre domande: potete riprendere la valutazione."), application_url(application))
    else:
        move(application, AppState.SUBMITTED, user)
        tell(active_staff(), _("Nuova domanda di Bollino Blu: %(c)s", c=application.company.ragione_sociale),
             _("È arrivata una domanda di Bollino Blu: assegnate uno o due valutatori."), application_url(application))
    tell_company(application, _("Domanda di Bollino Blu inviata"),
                 _("La domanda n. %(id)s è stata inviata e non è più modificabile. Vi scriveremo a ogni passo.", id=application.id))
    db.session.commit()


def _start_new_round(application: Application) -> None:
    """Next round: each auditor starts from their previous scores, which stay in the history (and
    an empty one for a parameter that applies now, as a channel a site serves since)."""
    previous = application.round
    application.round = previous + 1
    applicable = {p.id for p in application.parameters}
    for assignment in evaluation.scoring_assignments(application):
        earlier = {s.parameter_id: s for s in assignment.scores if s.round == previous and s.parameter_id in applicable}
        for parameter_id in applicable:
            score = earlier.get(parameter_id)
            db.session.add(Score(assignment=assignment, parameter_id=parameter_id, round=application.round,
                                 score=score.score if score else None, comment=score.comment if score else ""))


# --- assignment and declaration ----------------------------------------------------------------

def eligible_auditors(application: Application) -> list[User]:
    taken = {a.auditor_id for a in application.assignments}
    return [u for u in db.session.scalars(
        select(User).where(User.role.in_([Role.AUDITOR, Role.STAFF]), User.active).order_by(User.name)
    ) if u.id not in taken]


def assign_auditor(application: Application, auditor: User, staff: User) -> Assignment:
    if application.state not in (AppState.SUBMITTED, AppState.UNDER_REVIEW):
        raise RuleError(_("Si assegnano valutatori solo a domande inviate o in valutazione."))
    if auditor.role not in (Role.AUDITOR, Role.STAFF) or not auditor.active:
        raise RuleError(_("Si può incaricare solo un valutatore o un membro dello staff."))
    if any(a.auditor_id == auditor.id for a in application.assignments):
        raise RuleError(_("Questa persona ha già avuto un incarico su questa domanda."))
    if len(application.active_assignments()) >= MAX_AUDITORS:
        raise RuleError(_("La domanda ha già due valutatori."))
    assignment = Assignment(application=application, auditor=auditor, assigned_by_id=staff.id)
    db.session.add(assignment)
    db.session.flush()
    if application.state == AppState.SUBMITTED:
        move(application, AppState.UNDER_REVIEW, staff, _("Valutatore incaricato"))
        tell_company(application, _("Domanda di Bollino Blu in valutazione"),
                     _("La domanda n. %(id)s è stata affidata ai valutatori dell'associazione.", id=application.id))
    record("bollino.assign", assignment, {"auditor": auditor.email})
    tell([auditor], _("Nuovo incarico di valutazione Bollino Blu"),
         _("Vi è stata assegnata la domanda di %(c)s. Prima di vedere le risposte dichiarate l'assenza di conflitti di interesse, o rifiutate l'incarico.",
           c=application.company.ragione_sociale),
         absolute_url("certification.declaration", assignment_id=assignment.id))
    db.session.commit()
    return assignment


def _ensure_pending_assignment(assignment: Assignment, user: User) -> None:
    if assignment.auditor_id != user.id:
        raise RuleError(_("Questo incarico non è vostro."))
    if assignment.status != AssignmentStatus.PENDING:
        raise RuleError(_("Avete già risposto a questo incarico."))
    if assignment.application.state in CLOSED_STATES:
        raise RuleError(_("La domanda è già stata decisa."))


def declare_no_conflict(assignment: Assignment, user: User, statement: str) -> None:
    _ensure_pending_assignment(assignment, user)
    assignment.status = AssignmentStatus.DECLARED
    assignment.declared_at = utcnow()
    assignment.declaration = statement
    application = assignment.application
    if not assignment.scores_for_round(application.round):
        for parameter in application.parameters:
            db.session.add(Score(assignment=assignment, parameter_id=parameter.id, round=application.round))
    record("bollino.declare", assignment, {"declaration": statement})
    commit_versioned()


def decline_assignment(assignment: Assignment, user: User, reason: str) -> None:
    _ensure_pending_assignment(assignment, user)
    assignment.status = AssignmentStatus.DECLINED
    assignment.declared_at = utcnow()
    assignment.decline_reason = reason
    record("bollino.decline", assignment, {"reason": reason})
    tell(active_staff(), _("Incarico rifiutato: %(c)s", c=assignment.application.company.ragione_sociale),
         _("%(a)s ha rifiutato l'incarico: assegnate un altro valutatore.", a=user.name),
         application_url(assignment.application), reason)
    commit_versioned()


def removal_refusal(assignment: Assignment) -> str | None:
    """Why staff may not take this auditor off the application now; None when they may."""
    application = assignment.application
    if assignment.status == AssignmentStatus.DECLINED:
        return _("Questa persona non ha più l'incarico su questa domanda.")
    if application.state in CLOSED_STATES:
        return _("La domanda è già stata decisa: l'incarico non si può più togliere.")
    if assignment.recommended_round == application.round:
        return _("Il valutatore ha già inviato la raccomandazione: l'incarico non si può più togliere.")
    return None


def remove_assignment(assignment: Assignment, staff: User, reason: str) -> None:
    """Take an auditor off an application (ill, late, a conflict found by staff).

    The assignment is kept as declined, not deleted: its scores stay in the history but, like
    every declined assignment's, out of the result; it frees a place for another auditor; and
    the person stays barred from deciding the application (impartiality).
    """
    if not staff.is_staff:
        raise RuleError(_("Solo lo staff può togliere un incarico di valutazione."))
    refusal = removal_refusal(assignment)
    if refusal:
        raise RuleError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(_("Indica il motivo per cui togli l'incarico al valutatore."))
    application, auditor = assignment.application, assignment.auditor
    assignment.status = AssignmentStatus.DECLINED
    assignment.decline_reason = reason
    record(REMOVAL_ACTION, assignment, {"auditor": auditor.email, "reason": reason}, actor=staff)
    queue_mail(auditor.email, _("Incarico di valutazione Bollino Blu revocato: %(c)s", c=application.company.ragione_sociale),
               "certification/assignment_removed.txt", name=auditor.name, company=application.company.ragione_sociale,
               application_id=application.id, reason=reason, url=absolute_url("core.home"))
    commit_versioned()


def removals(application: Application) -> dict[int, AuditEntry]:
    """The assignments staff took off this application, by id, with who did it and when."""
    ids = [a.id for a in application.assignments if a.status == AssignmentStatus.DECLINED]
    if not ids:
        return {}
    return {e.object_id: e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == REMOVAL_ACTION, AuditEntry.object_type == Assignment.__name__, AuditEntry.object_id.in_(ids)))}


# --- scoring, questions, recommendation -------------------------------------------------------

def _ensure_can_score(assignment: Assignment, user: User) -> None:
    if not assignment.can_score(user):
        raise RuleError(_("In questo momento non potete valutare questa domanda."))


def save_scores(assignment: Assignment, user: User, entries: dict[int, dict]) -> SaveResult:
    """`entries[parameter_id] = {"score": str, "comment": str, "version": str}`."""
    _ensure_can_score(assignment, user)
    scale = assignment.application.edition.scale_max
    scores = assignment.scores_for_round(assignment.application.round)
    # loaded before any change: a lazy load in the loop would flush the changes before commit_versioned()
    codes = {p.id: p.code for p in assignment.application.edition.parameters}
    result = SaveResult()
    changes = {}
    for pid, entry in entries.items():
        score = scores.get(pid)
        if score is None:
            continue
        raw = (entry.get("score") or "").strip()
        try:
            value = int(raw) if raw else None
            if value is not None and not 0 <= value <= scale:
                raise ValueError
        except ValueError:
            result.errors[pid] = _("Il punteggio va da 0 a %(max)s.", max=scale)
            continue
        comment = (entry.get("comment") or "").strip()[: answer_rules.MAX_TEXT]
        if (score.score, score.comment) == (value, comment):
            continue
        if str(score.version) != (entry.get("version") or ""):
            result.conflicts[pid] = "" if score.score is None else str(score.score)
            continue
        score.score, score.comment = value, comment
        changes[codes[pid]] = value
        result.saved += 1
    if changes:
        record("bollino.score", assignment, changes)
    commit_versioned()
    return result


def request_changes(assignment: Assignment, user: User, questions: dict[int, str]) -> None:
    """Return the application to the company with the auditor's questions per parameter."""
    _ensure_can_score(assignment, user)
    application = assignment.application
    params = {p.id: p for p in application.edition.parameters}
    asked = {pid: q.strip() for pid, q in questions.items() if pid in params and q and q.strip()}
    if not asked:
        raise RuleError(_("Scrivi almeno una domanda per l'azienda, accanto al parametro a cui si riferisce."))
    for pid, question in asked.items():
        db.session.add(ChangeRequest(application_id=application.id, parameter_id=pid, auditor_id=user.id,
                                     round=application.round, question=question[: answer_rules.MAX_TEXT]))
    move(application, AppState.CHANGES_REQUESTED, user, ngettext("%(num)s domanda del valutatore", "%(num)s domande del valutatore", len(asked)))
    detail = "\n".join(f"- {params[pid].code}: {q}" for pid, q in asked.items())
    tell_company(application, _("Bollino Blu: il valutatore chiede integrazioni"),
                 _("Il valutatore ha alcune domande sulla domanda n. %(id)s. Rispondete e inviate di nuovo.", id=application.id),
                 detail)
    others = [a.auditor for a in evaluation.scoring_assignments(application) if a.id != assignment.id]
    tell(others, _("Integrazioni richieste: %(c)s", c=application.company.ragione_sociale),
         _("L'altro valutatore ha chiesto integrazioni: la valutazione riprende quando l'azienda risponde."),
         application_url(application), detail)
    commit_versioned()


def recommend(assignment: Assignment, user: User, outcome: Outcome, summary: str, seen_version) -> None:
    _ensure_can_score(assignment, user)
    check_version(assignment, seen_version)
    application = assignment.application
    unscored = [s.parameter.code for s in assignment.scores_for_round(application.round).values() if s.score is None]
    if unscored:
        raise RuleError(_("Prima di concludere date un punteggio a tutti i parametri. Mancano: %(codes)s.",
                          codes=", ".join(sorted(unscored))))
    if not summary.strip():
        raise RuleError(_("Scrivete una sintesi della valutazione."))
    assignment.recommendation = outcome
    assignment.summary = summary.strip()
    assignment.recommended_at = utcnow()
    assignment.recommended_round = application.round
    record("bollino.recommend", assignment, {"recommendation": outcome, "round": application.round})
    active = application.active_assignments()
    if all(a.status == AssignmentStatus.DECLARED and a.recommended_round == application.round for a in active):
        move(application, AppState.AWAITING_DECISION, user)
        tell(active_staff(), _("Valutazione conclusa: %(c)s", c=application.company.ragione_sociale),
             _("I valutatori hanno concluso: la domanda attende la decisione di un membro dello staff che non l'ha valutata."),
             application_url(application))
    commit_versioned()


# --- decision ---------------------------------------------------------------------------------

def decide(application: Application, staff: User, outcome: Outcome, reason: str, seen_version) -> Decision:
    """Grant, grant with distinction or refuse; a grant issues the certificate."""
    if application.was_audited_by(staff):
        raise RuleError(_("Chi ha avuto un incarico di valutazione su questa domanda non può deciderla."))
    if not application.can_decide(staff):
        raise RuleError(_("La domanda non è in attesa di decisione."))
    check_version(application, seen_version)
    if not reason.strip():
        raise RuleError(_("Indica il motivo della decisione."))
    result = evaluation.combined_result(application)
    if outcome != Outcome.REFUSE:
        if result.knockouts:
            raise RuleError(_("Non si può concedere: parametri obbligatori non superati (%(codes)s).",
                              codes=", ".join(result.knockouts)))
        allowed = {"grant": {Outcome.GRANT}, "distinction": {Outcome.GRANT, Outcome.DISTINCTION}}.get(result.band, set())
        if outcome not in allowed:
            raise RuleError(_("Il punteggio totale (%(t)s su 100) non consente questo esito.", t=result.total))
    decision = Decision(application=application, decided_by_id=staff.id, outcome=outcome, total=result.total, reason=reason.strip())
    db.session.add(decision)
    granted = outcome != Outcome.REFUSE
    move(application, AppState.GRANTED if granted else AppState.REFUSED, staff, str(OUTCOMES[outcome]))
    record("bollino.decide", application, {"outcome": outcome, "total": result.total, "reason": reason}, actor=staff)
    certificate = _issue_certificate(application, decision, staff) if granted else None
    text = (_("Il Bollino Blu è stato concesso: certificato %(n)s.", n=certificate.number) if certificate
            else _("La domanda n. %(id)s non ha ottenuto il Bollino Blu.", id=application.id))
    tell_company(application, _("Decisione sulla domanda di Bollino Blu"), text, _("Motivazione: %(r)s", r=reason.strip()))
    commit_versioned()
    return decision

