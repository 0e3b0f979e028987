"""A certificate's life: issue, suspend, reinstate, withdraw, expire, remind before expiry, renewal window.

Yearly surveillance lives in surveillance.py; suspension proposals in proposals.py."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit import record
from portal.certification import proposals, statements
from portal.certification.labels import CERT_STATES
from portal.certification.models import (
    CLOSED_STATES,
    Application,
    Certificate,
    CertificateEvent,
    CertStatus,
    Decision,
    Outcome,
    StatusCause,
    SuspensionProposal,
)
from portal.certification.notify import tell
from portal.certification.reminders import due_threshold
from portal.extensions import db
from portal.members.models import User
from portal.members.recipients import company_users
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
    """Issue the certificate of a granted application, inside `decide()`'s transaction (which plans its surveillance)."""
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
                  own_statement: str | None = None, proposal: SuspensionProposal | None = None) -> None:
    """Suspend, reinstate or withdraw, as previewed and confirmed; an expired certificate stays expired.

    `reason` is internal; `own_statement` is what staff wrote for the register (None: the cause's standard
    text); `proposal`, the suspension proposal this decides."""
    change = prepare_status_change(certificate, status, cause, reason, own_statement)
    if proposal is not None:
        if proposal.certificate_id != certificate.id or status != CertStatus.SUSPENDED:
            raise RuleError(_("La proposta non riguarda questo cambio di stato."))
        proposals.resolve(proposal, staff, True, reason)
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


# --- expiry reminders ------------------------------------------------------------------------------

RENEWAL_WINDOW_DAYS = 180  # "Chiedi il rinnovo" from six months before expiry...
RENEWAL_GRACE_DAYS = 180  # ...to six months after it
EXPIRY_REMINDER_DAYS = (180, 90, 30)


def renewal_window(certificate: Certificate) -> tuple[date, date]:
    """The days on which the company may ask to renew the certificate."""
    return (certificate.expires_on - timedelta(days=RENEWAL_WINDOW_DAYS),
            certificate.expires_on + timedelta(days=RENEWAL_GRACE_DAYS))


def renewal_refusal(certificate: Certificate, on: date | None = None, renewing: bool | None = None) -> str | None:
    """Why the certificate cannot be renewed today; None when it can. `renewing`: whether a renewal is
    already open (asked of the database when not given)."""
    on = on or date.today()
    opens, closes = renewal_window(certificate)
    if certificate.status == CertStatus.WITHDRAWN:
        return _("Un certificato revocato non si rinnova: serve una nuova domanda.")
    if on < opens:
        return _("Il rinnovo si chiede dal %(d)s, sei mesi prima della scadenza.", d=opens.strftime("%d/%m/%Y"))
    if on > closes:
        return _("Sono passati più di sei mesi dalla scadenza: serve una nuova domanda.")
    if renewing if renewing is not None else open_renewal(certificate) is not None:
        return _("C'è già una domanda di rinnovo aperta per questo certificato.")
    return None


def renewable(certificates: list[Certificate], on: date | None = None) -> set[int]:
    """Ids of the certificates that may be renewed today (one query for the open renewals of them all)."""
    renewing = set(db.session.scalars(select(Application.renewal_of_id).where(
        Application.renewal_of_id.in_([c.id for c in certificates]), Application.state.not_in(list(CLOSED_STATES)))))
    return {c.id for c in certificates if renewal_refusal(c, on, c.id in renewing) is None}


def open_renewal(certificate: Certificate) -> Application | None:
    return db.session.scalar(select(Application).where(Application.renewal_of_id == certificate.id,
                                                       Application.state.not_in(list(CLOSED_STATES))).limit(1))


def remind_expiry(on: date) -> list[Certificate]:
    """Tell companies 180, 90 and 30 days before a certificate ends, unless its renewal is under way."""
    reminded = []
    for certificate in db.session.scalars(expiring(max(EXPIRY_REMINDER_DAYS), on)):
        if open_renewal(certificate) is not None:
            continue
        if due_threshold((certificate.expires_on - on).days, EXPIRY_REMINDER_DAYS, f"expiry:{certificate.id}", on) is None:
            continue
        tell(company_users(certificate.company_id), _("Il certificato %(n)s scade il %(d)s", n=certificate.number,
                                                      d=certificate.expires_on.strftime("%d/%m/%Y")),
             _("Il Bollino Blu scade tra %(n)s giorni. Chiedete il rinnovo dal portale: la domanda riparte dalle risposte e dalle prove "
               "del certificato, da confermare.", n=(certificate.expires_on - on).days),
             absolute_url("certification.certificate", certificate_id=certificate.id))
        reminded.append(certificate)
    return reminded


def expiring(days: int = 90, on: date | None = None):
    on = on or date.today()
    return select(Certificate).where(
        Certificate.status.in_([CertStatus.ACTIVE, CertStatus.SUSPENDED]),
        Certificate.expires_on >= on, Certificate.expires_on <= on + timedelta(days=days),
    ).order_by(Certificate.expires_on)
