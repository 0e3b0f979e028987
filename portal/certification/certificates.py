"""A certificate's life: issue, suspend, reinstate, withdraw, expire, and yearly surveillance."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from celery.schedules import crontab
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.access import Role
from portal.audit import record
from portal.certification import scoring, statements
from portal.certification.evaluation import rules_of
from portal.certification.labels import CERT_STATES
from portal.certification.models import (
    Application,
    Certificate,
    CertificateEvent,
    CertStatus,
    Decision,
    Outcome,
    ReviewStatus,
    StatusCause,
    SurveillanceReview,
)
from portal.certification.notify import tell
from portal.concurrency import check_version, commit_versioned
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import periodic
from portal.members.models import User
from portal.members.recipients import active_staff, company_users
from portal.rules import RuleError
from portal.urls import absolute_url

VALIDITY_YEARS = 3

# Which status a staff member may move a certificate to, from which status.
TRANSITIONS = {
    CertStatus.SUSPENDED: {CertStatus.ACTIVE},
    CertStatus.ACTIVE: {CertStatus.SUSPENDED},  # reinstatement
    CertStatus.WITHDRAWN: {CertStatus.ACTIVE, CertStatus.SUSPENDED},
}


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def expiry_for(issued_on: date) -> date:
    """Valid for three years: the last valid day is the day before the anniversary."""
    return add_years(issued_on, VALIDITY_YEARS) - timedelta(days=1)


def next_number(year: int) -> str:
    prefix = f"BB-{year}-"
    last = db.session.scalar(select(func.max(Certificate.number)).where(Certificate.number.like(prefix + "%")))
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def certificate_url(certificate: Certificate) -> str:
    return absolute_url("certification.verify", number=certificate.number)


def _event(certificate: Certificate, old: str, new: CertStatus, reason: str, actor: User | None,
           cause: StatusCause | None = None, statement: str = "") -> None:
    db.session.add(CertificateEvent(certificate=certificate, from_status=old, to_status=new.value, reason=reason,
                                    cause=cause, public_statement=statement, actor_id=getattr(actor, "id", None)))


def _issue_certificate(application: Application, decision: Decision, staff: User, issued_on: date | None = None) -> Certificate:
    """Issue the certificate of a granted application, inside `decide()`'s transaction."""
    issued_on = issued_on or date.today()
    company = application.company
    certificate = Certificate(
        number=next_number(issued_on.year), application_id=application.id, company_id=application.company_id,
        edition_id=application.edition_id, distinction=decision.outcome == Outcome.DISTINCTION, total=decision.total,
        issued_on=issued_on, expires_on=expiry_for(issued_on), sites=list(application.sites),
        company_name=company.ragione_sociale, partita_iva=company.partita_iva,
    )
    db.session.add(certificate)
    _event(certificate, "", CertStatus.ACTIVE, _("Certificato rilasciato"), staff)
    if application.renewal_of is not None and application.renewal_of.status_on(issued_on) in (CertStatus.ACTIVE, CertStatus.SUSPENDED):
        _set_status(application.renewal_of, StatusChange(CertStatus.EXPIRED, StatusCause.RENEWED,
                                                         _("Sostituito dal rinnovo %(n)s", n=certificate.number), ""), staff)
    db.session.flush()
    record("bollino.certificate.issue", certificate, {"number": certificate.number, "distinction": certificate.distinction,
                                                      "expires_on": certificate.expires_on}, actor=staff)
    return certificate


@dataclass(frozen=True)
class StatusChange:
    """A status change as staff confirm it: the internal reason stays with staff, the statement is
    public ("" for the standard text of the cause, shown in the reader's language)."""

    status: CertStatus
    cause: StatusCause | None
    reason: str
    statement: str


def _set_status(certificate: Certificate, change: StatusChange, actor: User | None) -> None:
    old = certificate.status
    certificate.status = change.status
    certificate.status_reason = change.reason
    certificate.status_cause = change.cause
    certificate.public_statement = change.statement
    _event(certificate, old.value, change.status, change.reason, actor, change.cause, change.statement)
    record("bollino.certificate.status", certificate, {"status": [old, change.status], "cause": change.cause,
                                                       "reason": change.reason, "public_statement": change.statement}, actor=actor)


def prepare_status_change(certificate: Certificate, status: CertStatus, cause: str, reason: str,
                          own_statement: str | None) -> StatusChange:
    """Check a change staff ask for and compose its public statement (standard text unless they wrote one)."""
    current = certificate.current_status
    if current == CertStatus.EXPIRED:
        raise RuleError(_("Il certificato è scaduto: serve una domanda di rinnovo."))
    if current not in TRANSITIONS.get(status, set()) or status == current:
        raise RuleError(_("Cambio di stato non consentito: il certificato è %(s)s.", s=CERT_STATES[current]))
    causes = statements.CAUSES_FOR[status]
    if cause not in causes:
        raise RuleError(_("Scegli la causa tra quelle proposte."))
    if not reason.strip():
        raise RuleError(_("Indica il motivo interno: resta allo staff e nel registro attività."))
    if own_statement is not None and not own_statement.strip():
        raise RuleError(_("Scrivi la dichiarazione pubblica, o scegli il testo standard."))
    return StatusChange(status, StatusCause(cause), reason.strip(), (own_statement or "").strip())


def change_status(certificate: Certificate, status: CertStatus, cause: str, reason: str, staff: User,
                  own_statement: str | None = None) -> None:
    """Suspend, reinstate or withdraw, as previewed and confirmed; an expired certificate stays expired.

    `reason` is internal; `own_statement` is what staff wrote for the register (None: the cause's standard text)."""
    change = prepare_status_change(certificate, status, cause, reason, own_statement)
    _set_status(certificate, change, staff)
    _tell_status(certificate)
    db.session.commit()


def _tell_status(certificate: Certificate) -> None:
    """The company hears the new status and what the register says of it, never the internal reason."""
    status = CERT_STATES[certificate.status]
    tell(company_users(certificate.company_id), _("Certificato %(n)s: %(s)s", n=certificate.number, s=status),
         _("Lo stato del vostro certificato Bollino Blu è ora: %(s)s.", s=status), certificate_url(certificate),
         _("Nel registro pubblico: %(t)s", t=statements.public_statement(certificate)))


def expire_due(on: date | None = None) -> list[str]:
    """Mark as expired every active or suspended certificate past its term. Safe to run daily."""
    on = on or date.today()
    due = db.session.scalars(
        select(Certificate).where(Certificate.status.in_([CertStatus.ACTIVE, CertStatus.SUSPENDED]), Certificate.expires_on < on)
    ).all()
    for certificate in due:
        day = certificate.expires_on.strftime("%d/%m/%Y")
        _set_status(certificate, StatusChange(CertStatus.EXPIRED, None, _("Scaduto il %(d)s", d=day), ""), None)
        tell(company_users(certificate.company_id), _("Certificato %(n)s scaduto", n=certificate.number),
             _("Il certificato Bollino Blu è scaduto. Per rinnovarlo aprite una nuova domanda dal portale."),
             certificate_url(certificate))
    db.session.commit()
    return [c.number for c in due]


@periodic("certificates.expire", crontab(hour=2, minute=15))
def expire_tonight() -> None:
    """Celery beat runs the daily expiry each night (`flask certificates expire --on` stays for a given day)."""
    expire_due()


# --- surveillance -------------------------------------------------------------------------------

def key_parameters(certificate: Certificate):
    return [p for p in certificate.application.parameters if p.key_figure]


def open_review(certificate: Certificate, auditor: User, due_on: date, staff: User) -> SurveillanceReview:
    if certificate.current_status != CertStatus.ACTIVE:
        raise RuleError(_("La sorveglianza si apre solo su un certificato attivo."))
    if auditor.role not in (Role.AUDITOR, Role.STAFF) or not auditor.active:
        raise RuleError(_("Si può incaricare solo un valutatore o un membro dello staff."))
    if auditor.id == staff.id:
        raise RuleError(_("Chi apre la sorveglianza non può valutarla."))
    if any(r.status == ReviewStatus.OPEN for r in certificate.reviews):
        raise RuleError(_("C'è già una sorveglianza aperta su questo certificato."))
    review = SurveillanceReview(certificate=certificate, auditor=auditor, opened_by_id=staff.id, due_on=due_on,
                                items={p.code: {"figure": "", "score": None, "comment": ""} for p in key_parameters(certificate)})
    db.session.add(review)
    db.session.flush()
    record("bollino.surveillance.open", review, {"auditor": auditor.email, "due_on": due_on})
    tell([auditor], _("Sorveglianza annuale: %(n)s", n=certificate.number),
         _("Vi è stata assegnata la sorveglianza annuale del certificato di %(c)s.", c=certificate.company.ragione_sociale),
         absolute_url("certification.review", review_id=review.id))
    tell(company_users(certificate.company_id), _("Sorveglianza annuale del Bollino Blu"),
         _("È iniziata la sorveglianza annuale del certificato %(n)s: il valutatore verificherà gli indicatori chiave entro il %(d)s.",
           n=certificate.number, d=due_on.strftime("%d/%m/%Y")), certificate_url(certificate))
    db.session.commit()
    return review


def review_result(review: SurveillanceReview) -> tuple[bool, Decimal | None, list[str]]:
    """(passed, score out of 100, failed mandatory codes) of the key figures' scores."""
    edition = review.certificate.edition
    rules = rules_of(edition)
    params = {p.code: p for p in key_parameters(review.certificate)}
    scores = [
        scoring.ParamScore(code, params[code].area.code, params[code].weight, params[code].mandatory, item.get("score"))
        for code, item in review.items.items() if code in params
    ]
    failed = scoring.knockouts(scores, rules)
    mean = scoring.weighted_mean([(s.score, s.weight) for s in scores if s.score is not None])
    total = (mean * 100 / rules.scale_max).quantize(scoring.TWO_PLACES) if mean is not None else None
    passed = not failed and total is not None and total >= rules.grant_threshold
    return passed, total, failed


def save_review(review: SurveillanceReview, user: User, items: dict[str, dict], summary: str, seen_version, close: bool) -> None:
    if not review.can_score(user):
        raise RuleError(_("Questa sorveglianza non è vostra o è già chiusa."))
    check_version(review, seen_version)
    scale = review.certificate.edition.scale_max
    cleaned = {}
    for code in review.items:
        entry = items.get(code, {})
        raw = (entry.get("score") or "").strip()
        if raw and (not raw.isdigit() or int(raw) > scale):
            raise RuleError(_("%(code)s: il punteggio va da 0 a %(max)s.", code=code, max=scale))
        cleaned[code] = {"figure": (entry.get("figure") or "").strip()[:200], "score": int(raw) if raw else None,
                         "comment": (entry.get("comment") or "").strip()[:2000]}
    review.items = cleaned
    review.summary = summary.strip()
    if close:
        unscored = [c for c, i in cleaned.items() if i["score"] is None]
        if unscored:
            raise RuleError(_("Per chiudere la sorveglianza date un punteggio a tutti gli indicatori. Mancano: %(c)s.", c=", ".join(unscored)))
        if not review.summary:
            raise RuleError(_("Scrivete una sintesi della sorveglianza."))
        _close_review(review, user)
    else:
        record("bollino.surveillance.save", review, {"items": cleaned})
    commit_versioned()


def _close_review(review: SurveillanceReview, user: User) -> None:
    passed, total, failed = review_result(review)
    review.status = ReviewStatus.PASSED if passed else ReviewStatus.FAILED
    review.closed_at = utcnow()
    certificate = review.certificate
    record("bollino.surveillance.close", review, {"passed": passed, "total": total, "knockouts": failed})
    if not passed:
        cause = StatusCause.MANDATORY_FAILED if failed else StatusCause.SCORE_BELOW
        reason = _("Sorveglianza annuale non superata: %(c)s (%(t)s su 100).", c=statements.CAUSES[cause], t=total)
        _set_status(certificate, StatusChange(CertStatus.SUSPENDED, cause, reason, ""), user)
        _tell_status(certificate)
    tell(active_staff(), _("Sorveglianza chiusa: %(n)s", n=certificate.number),
         _("Esito: %(e)s.", e=_("superata") if passed else _("non superata, certificato sospeso")),
         absolute_url("certification.certificate", certificate_id=certificate.id), review.summary)


def expiring(days: int = 90, on: date | None = None):
    on = on or date.today()
    return select(Certificate).where(
        Certificate.status.in_([CertStatus.ACTIVE, CertStatus.SUSPENDED]),
        Certificate.expires_on >= on, Certificate.expires_on <= on + timedelta(days=days),
    ).order_by(Certificate.expires_on)
