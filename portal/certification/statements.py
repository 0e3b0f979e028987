"""What the public register says of a certificate's status: standard texts by cause, or staff's own.

Staff record two things when a certificate changes status: the internal reason (staff only) and
the public statement. A statement stored empty means the standard text of its cause, rendered
in the reader's language; a statement staff wrote is shown as written.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.certification.models import Application, Certificate, CertificateEvent, CertStatus, StatusCause
from portal.extensions import db

# The cause category, as the public statement and the staff pages name it.
CAUSES = {
    StatusCause.MANDATORY_FAILED: _l("requisito obbligatorio non soddisfatto alla sorveglianza"),
    StatusCause.SCORE_BELOW: _l("indicatori chiave sotto la soglia alla sorveglianza"),
    StatusCause.NONCONFORMITY_OVERDUE: _l("non conformità maggiore non corretta entro il termine"),
    StatusCause.SURVEILLANCE_MISSED: _l("sorveglianza annuale non svolta entro il termine"),
    StatusCause.REQUIREMENTS: _l("verifiche sui requisiti dello schema"),
    StatusCause.COMPANY_REQUEST: _l("richiesta dell'azienda"),
    StatusCause.MEMBERSHIP: _l("l'azienda non è più associata"),
    StatusCause.RESOLVED: _l("cause della sospensione risolte"),
    StatusCause.RENEWED: _l("sostituito dal rinnovo"),
}

# The causes staff may choose for each status they move a certificate to.
CAUSES_FOR = {
    CertStatus.SUSPENDED: [StatusCause.MANDATORY_FAILED, StatusCause.SCORE_BELOW, StatusCause.NONCONFORMITY_OVERDUE,
                           StatusCause.SURVEILLANCE_MISSED, StatusCause.REQUIREMENTS, StatusCause.COMPANY_REQUEST],
    CertStatus.WITHDRAWN: [StatusCause.REQUIREMENTS, StatusCause.NONCONFORMITY_OVERDUE, StatusCause.SURVEILLANCE_MISSED,
                           StatusCause.MEMBERSHIP, StatusCause.COMPANY_REQUEST],
    CertStatus.ACTIVE: [StatusCause.RESOLVED],
}

STANDARD = {
    (CertStatus.SUSPENDED, StatusCause.MANDATORY_FAILED): _l(
        "Certificato sospeso: alla sorveglianza annuale un requisito obbligatorio dello schema non è risultato soddisfatto."),
    (CertStatus.SUSPENDED, StatusCause.SCORE_BELOW): _l(
        "Certificato sospeso: alla sorveglianza annuale gli indicatori chiave non hanno raggiunto la soglia dello schema."),
    (CertStatus.SUSPENDED, StatusCause.NONCONFORMITY_OVERDUE): _l(
        "Certificato sospeso: una non conformità maggiore non è stata corretta entro il termine stabilito."),
    (CertStatus.SUSPENDED, StatusCause.SURVEILLANCE_MISSED): _l(
        "Certificato sospeso: la sorveglianza annuale non si è svolta entro il termine."),
    (CertStatus.SUSPENDED, StatusCause.REQUIREMENTS): _l(
        "Certificato sospeso in attesa di verifiche sul rispetto dei requisiti dello schema."),
    (CertStatus.SUSPENDED, StatusCause.COMPANY_REQUEST): _l("Certificato sospeso su richiesta dell'azienda."),
    (CertStatus.WITHDRAWN, StatusCause.REQUIREMENTS): _l("Certificato revocato: i requisiti dello schema non sono più soddisfatti."),
    (CertStatus.WITHDRAWN, StatusCause.NONCONFORMITY_OVERDUE): _l(
        "Certificato revocato: le non conformità che avevano portato alla sospensione non sono state corrette."),
    (CertStatus.WITHDRAWN, StatusCause.SURVEILLANCE_MISSED): _l(
        "Certificato revocato: la sorveglianza annuale non si è svolta."),
    (CertStatus.WITHDRAWN, StatusCause.MEMBERSHIP): _l("Certificato revocato: l'azienda non è più associata ad Assocontact."),
    (CertStatus.WITHDRAWN, StatusCause.COMPANY_REQUEST): _l("Certificato revocato su richiesta dell'azienda."),
    (CertStatus.ACTIVE, StatusCause.RESOLVED): _l(
        "Certificato di nuovo valido: le cause della sospensione sono state risolte e verificate."),
    # changes recorded before causes existed
    (CertStatus.SUSPENDED, None): _l("Certificato sospeso: oggi il Bollino Blu non è valido."),
    (CertStatus.WITHDRAWN, None): _l("Certificato revocato: il Bollino Blu non è più valido."),
}


def standard(status: CertStatus, cause: StatusCause | None) -> str:
    return str(STANDARD.get((status, cause), ""))


def _successor(certificate: Certificate) -> Certificate | None:
    return db.session.scalar(select(Certificate).join(Application, Certificate.application_id == Application.id)
                             .where(Application.renewal_of_id == certificate.id))


def public_statement(certificate: Certificate) -> str:
    """What the register says of the certificate's status today ("" for a valid one)."""
    status = certificate.current_status
    if status == CertStatus.EXPIRED:
        if certificate.status_cause == StatusCause.RENEWED:
            successor = _successor(certificate)
            if successor is not None:
                return _("Sostituito dal certificato di rinnovo %(n)s.", n=successor.number)
        return _("Certificato scaduto il %(d)s.", d=certificate.expires_on.strftime("%d/%m/%Y"))
    if status == CertStatus.ACTIVE and certificate.status_cause != StatusCause.RESOLVED:
        return ""
    return certificate.public_statement or standard(status, certificate.status_cause)


def event_statement(event: CertificateEvent) -> str:
    """The public statement an event recorded (its standard text when staff did not write one)."""
    return event.public_statement or standard(CertStatus(event.to_status), event.cause)
