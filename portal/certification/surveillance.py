"""Yearly surveillance of a certificate, as ISO/IEC 17065 practice asks.

Planned when the certificate is issued (one on each anniversary before it expires); opened for
the company 60 days before its due date on the edition in force then (its key figures); the
company sends updated figures and evidence; an auditor who declared no conflict of interest
scores against that submission; a failed surveillance puts a suspension proposal before staff,
with its real cause. The daily job opens, reminds and flags (schedule.py).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from portal.access import Role
from portal.audit import record
from portal.certification import answers as answer_rules
from portal.certification import conflicts, crosswalk, proposals, scoring
from portal.certification.certificates import VALIDITY_YEARS, add_years, certificate_url
from portal.certification.evaluation import rules_of
from portal.certification.models import (
    AssignmentStatus,
    Certificate,
    CertStatus,
    Edition,
    Evidence,
    Parameter,
    ReviewEvidence,
    ReviewStatus,
    StatusCause,
    SurveillanceReview,
)
from portal.certification.notify import tell
from portal.certification.reminders import due_threshold, first_time
from portal.certification.scheme import current_edition
from portal.concurrency import check_version, commit_versioned
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import User
from portal.members.recipients import active_staff, company_users
from portal.rules import RuleError
from portal.uploads import EVIDENCE_KINDS, store_upload
from portal.urls import absolute_url

WINDOW_DAYS = 60  # the company may send its figures from this many days before the due date
REMINDER_DAYS = (60, 30, 7)
CLOSED = frozenset({ReviewStatus.PASSED, ReviewStatus.FAILED})


def review_url(review: SurveillanceReview) -> str:
    return absolute_url("certification.review", review_id=review.id)


def submission_url(review: SurveillanceReview) -> str:
    return absolute_url("certification.review_submission", review_id=review.id)


def window_opens(review: SurveillanceReview) -> date:
    return review.due_on - timedelta(days=WINDOW_DAYS)


# --- the calendar -------------------------------------------------------------------------------

def due_dates(certificate: Certificate) -> list[date]:
    """One surveillance on each anniversary of the issue before the certificate expires."""
    return [add_years(certificate.issued_on, n) for n in range(1, VALIDITY_YEARS)]


def plan(certificate: Certificate) -> list[SurveillanceReview]:
    """Add the certificate's yearly surveillance not planned yet (the caller commits)."""
    planned = {r.sequence for r in certificate.reviews}
    added = []
    for sequence, due_on in enumerate(due_dates(certificate), start=1):
        if sequence not in planned:
            review = SurveillanceReview(sequence=sequence, due_on=due_on, status=ReviewStatus.SCHEDULED)
            certificate.reviews.append(review)
            added.append(review)
    return added


IN_FORCE = (CertStatus.ACTIVE, CertStatus.SUSPENDED)


def in_force(on: date):
    return select(Certificate).where(Certificate.status.in_(IN_FORCE), Certificate.expires_on >= on)


def pending(*statuses: ReviewStatus):
    """Surveillance in these states on a certificate still in force: a withdrawn or expired
    certificate's calendar stops (no opening, reminder, overdue flag or dashboard row)."""
    return select(SurveillanceReview).join(SurveillanceReview.certificate).where(
        SurveillanceReview.status.in_(statuses), Certificate.status.in_(IN_FORCE))


def plan_missing(on: date) -> int:
    """Plan the surveillance of certificates in force that have none yet (issued before the calendar existed)."""
    return sum(len(plan(c)) for c in db.session.scalars(in_force(on).where(~Certificate.reviews.any())))


def open_review(review: SurveillanceReview, on: date, staff: User | None = None) -> None:
    """Open the surveillance for the company's figures, on the edition in force today (the caller commits)."""
    if review.status != ReviewStatus.SCHEDULED:
        raise RuleError(_("Questa sorveglianza è già aperta."))
    certificate = review.certificate
    if certificate.status_on(on) not in IN_FORCE:
        raise RuleError(_("La sorveglianza si apre solo su un certificato attivo o sospeso."))
    edition = current_edition() or certificate.edition
    review.edition = edition
    review.status = ReviewStatus.OPEN
    review.opened_at, review.opened_by_id = utcnow(), getattr(staff, "id", None)
    review.items = {p.code: {"score": None, "comment": ""} for p in key_parameters(review)}
    review.submission = {}
    record("bollino.surveillance.open", review, {"due_on": review.due_on, "edition": edition.code}, actor=staff)
    first_time(f"review:{review.id}:{max(REMINDER_DAYS)}", on)  # the opening notice is the first reminder
    tell(company_users(certificate.company_id), _("Sorveglianza annuale del certificato %(n)s", n=certificate.number),
         _("È aperta la sorveglianza annuale del Bollino Blu: inviate nel portale gli indicatori aggiornati e le prove entro il %(d)s.",
           d=review.due_on.strftime("%d/%m/%Y")), submission_url(review))


def open_now(review: SurveillanceReview, staff: User) -> None:
    """Staff open a planned surveillance before its window (a company that asked, a follow-up)."""
    open_review(review, date.today(), staff)
    db.session.commit()


def open_due(on: date) -> list[SurveillanceReview]:
    """Open every planned surveillance whose window has begun (the daily job)."""
    due = db.session.scalars(pending(ReviewStatus.SCHEDULED).where(
        SurveillanceReview.due_on <= on + timedelta(days=WINDOW_DAYS), Certificate.expires_on >= on)).all()
    for review in due:
        open_review(review, on)
    return list(due)


# --- what the company sends ---------------------------------------------------------------------

def review_edition(review: SurveillanceReview) -> Edition:
    return review.edition or review.certificate.edition


def key_parameters(review: SurveillanceReview) -> list[Parameter]:
    """The key figures of the surveillance's edition that apply to the certificate's scope (a channel's
    figures only if a certified site serves that channel)."""
    application = review.certificate.application
    channels = application.channels
    return [p for p in review_edition(review).parameters if p.key_figure and application.applies(p, channels)]


def certified_answers(review: SurveillanceReview) -> dict[str, str]:
    """The figures the certificate was granted on, by this surveillance's parameter codes (through the crosswalk)."""
    return crosswalk.carried_answers(review.certificate.application, review_edition(review))


def can_submit(review: SurveillanceReview, user) -> bool:
    return (user.is_authenticated and user.is_company_user and user.company_id == review.certificate.company_id
            and review.status == ReviewStatus.OPEN and review.certificate.status in IN_FORCE)


def evidence_by_code(review: SurveillanceReview) -> dict[str, list[Evidence]]:
    grouped: dict[str, list[Evidence]] = {}
    for link in db.session.scalars(select(ReviewEvidence).where(ReviewEvidence.review_id == review.id).order_by(ReviewEvidence.id)):
        grouped.setdefault(link.parameter_code, []).append(link.evidence)
    return grouped


@dataclass
class SubmissionResult:
    errors: dict[str, str] = field(default_factory=dict)  # parameter code -> message
    missing: list[tuple[str, str]] = field(default_factory=list)  # (parameter code, what is missing)


def save_submission(review: SurveillanceReview, user: User, entries: dict[str, dict], uploads: dict, submit: bool,
                    seen_version) -> SubmissionResult:
    """Save the company's figures (what is valid) and attach evidence; `submit` sends them to the auditor."""
    if not can_submit(review, user):
        raise RuleError(_("I dati di questa sorveglianza non si possono più modificare."))
    check_version(review, seen_version)
    result = SubmissionResult()
    params = {p.code: p for p in key_parameters(review)}
    submission = dict(review.submission or {})
    for code, entry in entries.items():
        parameter = params.get(code)
        if parameter is None:
            continue
        try:
            value = answer_rules.parse_value(parameter, entry.get("value", ""))
        except ValueError as exc:
            result.errors[code] = str(exc)
            continue
        submission[code] = {"value": value, "note": (entry.get("note") or "").strip()[: answer_rules.MAX_TEXT]}
    review.submission = submission
    for code, (upload, title) in uploads.items():
        if code in params and upload is not None and upload.filename:
            stored = store_upload(upload, EVIDENCE_KINDS, user)
            evidence = Evidence(company_id=review.certificate.company_id, stored_file_id=stored.id,
                                title=(title or stored.original_name)[:200])
            db.session.add(evidence)
            db.session.flush()
            db.session.add(ReviewEvidence(review_id=review.id, parameter_code=code, evidence_id=evidence.id))
    record("bollino.surveillance.figures", review, {"submission": submission})
    if submit and not result.errors:
        result.missing = missing(review)
        if not result.missing:
            _submit(review, user)
    commit_versioned()
    return result


def missing(review: SurveillanceReview) -> list[tuple[str, str]]:
    """(parameter code, what is missing) before the company can send its figures."""
    evidence = evidence_by_code(review)
    found = []
    for p in key_parameters(review):
        if answer_rules.needs_answer(p) and not (review.submission or {}).get(p.code, {}).get("value"):
            found.append((p.code, _("%(code)s: manca il valore di quest'anno", code=p.code)))
        if p.evidence_required and not evidence.get(p.code):
            found.append((p.code, _("%(code)s: manca la prova documentale", code=p.code)))
    return found


def _submit(review: SurveillanceReview, user: User) -> None:
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at, review.submitted_by_id = utcnow(), user.id
    record("bollino.surveillance.submit", review, {})
    certificate = review.certificate
    if review.auditor is not None and review.assignment_status == AssignmentStatus.DECLARED:
        tell([review.auditor], _("Dati di sorveglianza ricevuti: %(n)s", n=certificate.number),
             _("L'azienda ha inviato gli indicatori aggiornati: potete valutarli."), review_url(review))
    else:
        tell(active_staff(), _("Dati di sorveglianza ricevuti: %(n)s", n=certificate.number),
             _("L'azienda ha inviato gli indicatori della sorveglianza annuale: incaricate un valutatore."),
             absolute_url("certification.certificate", certificate_id=certificate.id))
    tell(company_users(certificate.company_id), _("Dati della sorveglianza inviati"),
         _("Gli indicatori della sorveglianza annuale del certificato %(n)s sono stati inviati al valutatore.", n=certificate.number),
         submission_url(review))


# --- the auditor -----------------------------------------------------------------------------------

def eligible_auditors() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_([Role.AUDITOR, Role.STAFF]), User.active).order_by(User.name)))


def assign(review: SurveillanceReview, auditor: User, staff: User, override_reason: str = "") -> None:
    """Entrust the surveillance to an auditor, who declares no conflict of interest before reading it."""
    if review.status in CLOSED:
        raise RuleError(_("La sorveglianza è già chiusa."))
    if auditor.role not in (Role.AUDITOR, Role.STAFF) or not auditor.active:
        raise RuleError(_("Si può incaricare solo un valutatore o un membro dello staff."))
    if auditor.id == staff.id:
        raise RuleError(_("Chi assegna la sorveglianza non può valutarla."))
    if review.auditor_id is not None and review.assignment_status != AssignmentStatus.DECLINED:
        raise RuleError(_("La sorveglianza ha già un valutatore."))
    certificate = review.certificate
    override = conflicts.check_assignment(auditor, certificate.company, staff, override_reason,
                                          f"sorveglianza {certificate.number} del {review.due_on:%d/%m/%Y}")
    review.auditor_id, review.assignment_status, review.declared_at = auditor.id, AssignmentStatus.PENDING, None
    review.conflict_override = override
    record("bollino.surveillance.assign", review, {"auditor": auditor.email, "conflict_override": override}, actor=staff)
    sites = ", ".join(f"{s.name} ({s.comune})" for s in certificate.sites)
    tell([auditor], _("Sorveglianza annuale: certificato %(n)s", n=certificate.number),
         _("Vi è stata assegnata la sorveglianza annuale del certificato %(n)s di %(c)s (sedi: %(s)s), da concludere entro il %(d)s. "
           "Prima di vedere i dati dichiarate l'assenza di conflitti di interesse, o rifiutate l'incarico.",
           n=certificate.number, c=certificate.company_name, s=sites, d=review.due_on.strftime("%d/%m/%Y")),
         absolute_url("certification.review_declaration", review_id=review.id))
    commit_versioned()


def _ensure_pending(review: SurveillanceReview, user: User) -> None:
    if review.auditor_id != user.id or review.assignment_status != AssignmentStatus.PENDING:
        raise RuleError(_("Questo incarico non è vostro o avete già risposto."))


def declare_no_conflict(review: SurveillanceReview, user: User, statement: str) -> None:
    _ensure_pending(review, user)
    review.assignment_status, review.declared_at, review.declaration = AssignmentStatus.DECLARED, utcnow(), statement
    record("bollino.surveillance.declare", review, {"declaration": statement}, actor=user)
    commit_versioned()


def decline(review: SurveillanceReview, user: User, reason: str, conflict: bool) -> None:
    """Refuse the surveillance; a declared conflict is remembered for this company's next assignments."""
    _ensure_pending(review, user)
    certificate = review.certificate
    if conflict:
        conflicts.declare(user, certificate.company, reason, f"sorveglianza {certificate.number}")
    review.assignment_status, review.declared_at = AssignmentStatus.DECLINED, utcnow()
    record("bollino.surveillance.decline", review, {"reason": reason, "conflict": conflict}, actor=user)
    tell(active_staff(), _("Sorveglianza rifiutata: %(n)s", n=certificate.number),
         _("%(a)s ha rifiutato la sorveglianza: incaricate un altro valutatore.", a=user.name),
         absolute_url("certification.certificate", certificate_id=certificate.id), reason)
    commit_versioned()


def review_result(review: SurveillanceReview) -> tuple[bool, Decimal | None, list[str]]:
    """(passed, score out of 100, failed mandatory codes) of the key figures' scores."""
    rules = rules_of(review_edition(review))
    params = {p.code: p for p in key_parameters(review)}
    scores = [scoring.ParamScore(code, params[code].area.code, params[code].weight, params[code].mandatory, item.get("score"))
              for code, item in review.items.items() if code in params]
    failed = scoring.knockouts(scores, rules)
    mean = scoring.weighted_mean([(s.score, s.weight) for s in scores if s.score is not None])
    total = scoring.out_of_100(mean / rules.scale_max) if mean is not None else None
    passed = not failed and total is not None and total >= rules.grant_threshold
    return passed, total, failed


def failure_cause(review: SurveillanceReview) -> tuple[StatusCause, str]:
    """The real cause of a failed surveillance: a mandatory parameter first, then the score."""
    _passed, total, failed = review_result(review)
    if failed:
        return StatusCause.MANDATORY_FAILED, _("Parametri obbligatori sotto il minimo: %(c)s.", c=", ".join(failed))
    return StatusCause.SCORE_BELOW, _("Punteggio degli indicatori chiave %(t)s su 100, soglia %(g)s.",
                                      t=total, g=review_edition(review).grant_threshold)


def save_review(review: SurveillanceReview, user: User, items: dict[str, dict], summary: str, seen_version, close: bool) -> None:
    if not review.can_score(user):
        raise RuleError(_("Questa sorveglianza non è vostra, non è ancora arrivata o è già chiusa."))
    check_version(review, seen_version)
    scale = review_edition(review).scale_max
    cleaned = {}
    for code in review.items:
        entry = items.get(code, {})
        raw = (entry.get("score") or "").strip()
        if raw and (not raw.isdigit() or int(raw) > scale):
            raise RuleError(_("%(code)s: il punteggio va da 0 a %(max)s.", code=code, max=scale))
        cleaned[code] = {"score": int(raw) if raw else None, "comment": (entry.get("comment") or "").strip()[:2000]}
    review.items = cleaned
    review.summary = summary.strip()
    if close:
        unscored = [c for c, i in cleaned.items() if i["score"] is None]
        if unscored:
            raise RuleError(_("Per chiudere la sorveglianza date un punteggio a tutti gli indicatori. Mancano: %(c)s.", c=", ".join(unscored)))
        if not review.summary:
            raise RuleError(_("Scrivete una sintesi della sorveglianza."))
        _close(review, user)
    else:
        record("bollino.surveillance.save", review, {"items": cleaned})
    commit_versioned()


def _close(review: SurveillanceReview, user: User) -> None:
    passed, total, failed = review_result(review)
    review.status = ReviewStatus.PASSED if passed else ReviewStatus.FAILED
    review.closed_at = utcnow()
    certificate = review.certificate
    record("bollino.surveillance.close", review, {"passed": passed, "total": total, "knockouts": failed})
    if passed:
        tell(company_users(certificate.company_id), _("Sorveglianza annuale superata"),
             _("La sorveglianza annuale del certificato %(n)s è superata.", n=certificate.number), certificate_url(certificate))
    else:
        cause, detail = failure_cause(review)
        proposals.propose(certificate, cause, detail, review=review)
    tell(active_staff(), _("Sorveglianza chiusa: %(n)s", n=certificate.number),
         _("Esito: %(e)s.", e=_("superata") if passed else _("non superata: proposta di sospensione da decidere")),
         absolute_url("certification.certificate", certificate_id=certificate.id), review.summary)


# --- the daily job's part ---------------------------------------------------------------------------

def remind(on: date) -> list[SurveillanceReview]:
    """Remind companies 60, 30 and 7 days before the due date of a surveillance they have not sent."""
    reminded = []
    for review in db.session.scalars(pending(ReviewStatus.OPEN).where(SurveillanceReview.due_on >= on)):
        days = due_threshold((review.due_on - on).days, REMINDER_DAYS, f"review:{review.id}", on)
        if days is None:
            continue
        certificate = review.certificate
        tell(company_users(certificate.company_id), _("Sorveglianza del certificato %(n)s: %(d)s giorni alla scadenza",
                                                      n=certificate.number, d=(review.due_on - on).days),
             _("Inviate nel portale gli indicatori aggiornati e le prove della sorveglianza annuale entro il %(d)s.",
               d=review.due_on.strftime("%d/%m/%Y")), submission_url(review))
        reminded.append(review)
    return reminded


def flag_overdue(on: date) -> list[SurveillanceReview]:
    """Surveillance past its due date: staff hear once; without the company's figures a suspension is proposed."""
    flagged = []
    for review in db.session.scalars(pending(ReviewStatus.OPEN, ReviewStatus.SUBMITTED).where(SurveillanceReview.due_on < on)):
        if not first_time(f"review-overdue:{review.id}", on):
            continue
        certificate = review.certificate
        if review.status == ReviewStatus.OPEN:
            proposals.propose(certificate, StatusCause.SURVEILLANCE_MISSED,
                              _("L'azienda non ha inviato gli indicatori della sorveglianza entro il %(d)s.",
                                d=review.due_on.strftime("%d/%m/%Y")), review=review)
            tell(company_users(certificate.company_id), _("Sorveglianza scaduta: certificato %(n)s", n=certificate.number),
                 _("Il termine per la sorveglianza annuale è passato senza i vostri dati: lo staff valuterà la sospensione del certificato. "
                   "Inviate i dati al più presto."), submission_url(review))
        else:
            tell(active_staff(), _("Sorveglianza in ritardo: %(n)s", n=certificate.number),
                 _("I dati sono arrivati ma la valutazione non è conclusa e il termine è passato."),
                 absolute_url("certification.certificate", certificate_id=certificate.id))
        flagged.append(review)
    return flagged
