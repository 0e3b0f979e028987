"""A certified company's identity changes only with staff approval.

The register shows each certificate's own name and Partita IVA (copied when it is issued) and
the sites in its scope. When a company user changes the ragione sociale or the Partita IVA, or
the name or address of a site in the scope of a certificate in force, or deletes such a site, the
change is held here until staff approve it; the rest of the same edit is saved at once. Staff
editing a company themselves are the approvers: their change reaches the certificates directly.
"""

import sys
from datetime import date

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from portal.audit import record
from portal.certification.models import (
    Certificate,
    CertificateEvent,
    CertStatus,
    ChangeStatus,
    IdentityChange,
    IdentityChangeKind,
    certificate_site,
)
from portal.certification.notify import tell
from portal.database import utcnow
from portal.extensions import db
from portal.members import identity as member_identity
from portal.members.models import Company, Site, User
from portal.members.recipients import active_staff, company_users
from portal.members.validators import normalise_partita_iva
from portal.rules import RuleError
from portal.urls import absolute_url

COMPANY_FIELDS = ("ragione_sociale", "partita_iva")
SITE_FIELDS = ("name", "indirizzo", "comune", "country", "regione")
FIELD_LABELS = {
    "ragione_sociale": _l("Ragione sociale"), "partita_iva": _l("Partita IVA"), "name": _l("Nome della sede"),
    "indirizzo": _l("Indirizzo"), "comune": _l("Comune"), "country": _l("Paese"), "regione": _l("Regione"),
}
KIND_LABELS = {
    IdentityChangeKind.COMPANY: _l("Dati dell'azienda"),
    IdentityChangeKind.SITE: _l("Sede certificata"),
    IdentityChangeKind.SITE_REMOVAL: _l("Eliminazione di una sede certificata"),
}


def _in_force(query, on: date | None = None):
    return query.where(Certificate.status.in_([CertStatus.ACTIVE, CertStatus.SUSPENDED]),
                       Certificate.expires_on >= (on or date.today()))


def certificates_in_force(company_id: int) -> list[Certificate]:
    """The company's certificates the register shows as active or suspended today."""
    return list(db.session.scalars(_in_force(select(Certificate).where(Certificate.company_id == company_id))))


def certificates_covering(site: Site) -> list[Certificate]:
    """The certificates in force whose scope includes the site."""
    covering = select(certificate_site.c.certificate_id).where(certificate_site.c.site_id == site.id)
    return list(db.session.scalars(_in_force(select(Certificate).where(Certificate.id.in_(covering)))))


def pending_changes(company_id: int) -> list[IdentityChange]:
    return list(db.session.scalars(select(IdentityChange).where(
        IdentityChange.company_id == company_id, IdentityChange.status == ChangeStatus.PENDING).order_by(IdentityChange.id)))


def pending_notice(company_id: int) -> Markup:
    """The notice of the company's changes waiting for staff, for the company page ("" when none)."""
    changes = pending_changes(company_id)
    if not changes:
        return Markup("")
    return Markup(render_template("certification/_identity_pending.html", changes=changes, fields=FIELD_LABELS,
                                  kinds=KIND_LABELS))


# --- holding a company's edit ------------------------------------------------------------------

def hold_company_changes(company: Company, values: dict, user: User) -> dict:
    """Take out of `values` the certified fields a company user changed, and hold them for staff."""
    if user.is_staff or not certificates_in_force(company.id):
        return {}
    held = {f: values.pop(f) for f in COMPANY_FIELDS if f in values and values[f] != getattr(company, f)}
    if held:
        _hold(company, None, IdentityChangeKind.COMPANY, {f: [getattr(company, f), v] for f, v in held.items()}, user)
    return held


def hold_site_changes(site: Site, values: dict, user: User) -> dict:
    """Take out of `values` the name and address of a certified site changed by a company user, held for staff."""
    if user.is_staff or not certificates_covering(site):
        return {}
    held = {f: values.pop(f) for f in SITE_FIELDS if f in values and values[f] != getattr(site, f)}
    if held:
        _hold(site.company, site, IdentityChangeKind.SITE, {f: [getattr(site, f), v] for f, v in held.items()}, user)
    return held


def hold_site_removal(site: Site, user: User) -> bool:
    """True when the deletion of a certified site must wait for staff (and is now held)."""
    if user.is_staff or not certificates_covering(site):
        return False
    _hold(site.company, site, IdentityChangeKind.SITE_REMOVAL, {"name": [site.name, ""]}, user)
    return True


def _hold(company: Company, site: Site | None, kind: IdentityChangeKind, changes: dict, user: User) -> IdentityChange:
    """One pending request per company (or site) and kind: a later edit updates it. The caller commits."""
    change = db.session.scalar(select(IdentityChange).where(
        IdentityChange.company_id == company.id, IdentityChange.site_id == (site.id if site else None),
        IdentityChange.kind == kind, IdentityChange.status == ChangeStatus.PENDING))
    if change is None:
        change = IdentityChange(company_id=company.id, site_id=site.id if site else None, kind=kind, changes={})
        db.session.add(change)
    change.changes = {**change.changes, **changes}
    change.requested_by_id, change.requested_at = user.id, utcnow()
    record("bollino.identity.hold", change, {"kind": kind, "changes": changes}, actor=user)
    tell(active_staff(), _("Dati certificati da approvare: %(c)s", c=company.ragione_sociale),
         _("Un'azienda certificata ha modificato dati che compaiono sui suoi certificati: il registro li mostrerà dopo la vostra approvazione."),
         absolute_url("certification.identity_changes"))
    return change


# --- staff decide -------------------------------------------------------------------------------

def _ensure_pending(change: IdentityChange) -> None:
    if change.status != ChangeStatus.PENDING:
        raise RuleError(_("Questa modifica è già stata decisa."))


def _certificate_note(certificate: Certificate, text: str, staff: User) -> None:
    """A line in the certificate's history that does not change its status."""
    db.session.add(CertificateEvent(certificate=certificate, from_status=certificate.status.value,
                                    to_status=certificate.status.value, reason=text, public_statement=text, actor_id=staff.id))


def certify_identity(company: Company, staff: User) -> None:
    """The certificates in force take the company's current name and Partita IVA (the caller commits)."""
    for certificate in certificates_in_force(company.id):
        before = (certificate.company_name, certificate.partita_iva)
        after = (company.ragione_sociale, company.partita_iva)
        if before != after:
            certificate.company_name, certificate.partita_iva = after
            _certificate_note(certificate, _("Dati dell'azienda aggiornati: %(a)s, P.IVA %(b)s (prima: %(c)s, P.IVA %(d)s).",
                                             a=after[0], b=after[1], c=before[0], d=before[1]), staff)
            record("bollino.certificate.identity", certificate, {"company_name": [before[0], after[0]],
                                                                  "partita_iva": [before[1], after[1]]}, actor=staff)


def remove_site_from_scope(site: Site, staff: User) -> None:
    """Note on each certificate in force that the site left its scope (the caller deletes the site)."""
    for certificate in certificates_covering(site):
        _certificate_note(certificate, _("Sede tolta dal perimetro: %(s)s (%(c)s).", s=site.name, c=site.comune), staff)


def approve(change: IdentityChange, staff: User) -> None:
    _ensure_pending(change)
    company = change.company
    values = {field: new for field, (_old, new) in change.changes.items()}
    if change.kind == IdentityChangeKind.COMPANY:
        if "partita_iva" in values:
            values["partita_iva"] = normalise_partita_iva(values["partita_iva"])
            clash = db.session.scalar(select(Company.id).where(Company.partita_iva == values["partita_iva"], Company.id != company.id))
            if clash:
                raise RuleError(_("Esiste già un'azienda con questa Partita IVA: la modifica non si può approvare."))
        for field, value in values.items():
            setattr(company, field, value)
        certify_identity(company, staff)
    elif change.kind == IdentityChangeKind.SITE:
        for field, value in values.items():
            setattr(change.site, field, value)
        for certificate in certificates_covering(change.site):
            _certificate_note(certificate, _("Sede certificata aggiornata: %(s)s (%(c)s).", s=change.site.name, c=change.site.comune), staff)
    else:
        remove_site_from_scope(change.site, staff)
        db.session.delete(change.site)
    change.status, change.decided_by_id, change.decided_at = ChangeStatus.APPROVED, staff.id, utcnow()
    record("bollino.identity.approve", change, {"kind": change.kind, "changes": change.changes}, actor=staff)
    tell(company_users(company.id), _("Modifica dei dati certificati approvata"),
         _("Lo staff ha approvato la modifica dei dati che compaiono sui vostri certificati: il registro pubblico ora li mostra."),
         absolute_url("members.company", company_id=company.id))
    db.session.commit()


def refuse(change: IdentityChange, staff: User, note: str) -> None:
    _ensure_pending(change)
    note = (note or "").strip()
    if not note:
        raise RuleError(_("Spiega all'azienda perché la modifica non è approvata."))
    change.status, change.decided_by_id, change.decided_at, change.decision_note = ChangeStatus.REFUSED, staff.id, utcnow(), note
    record("bollino.identity.refuse", change, {"kind": change.kind, "note": note}, actor=staff)
    tell(company_users(change.company_id), _("Modifica dei dati certificati non approvata"),
         _("Lo staff non ha approvato la modifica dei dati che compaiono sui vostri certificati: restano quelli certificati."),
         absolute_url("members.company", company_id=change.company_id), note)
    db.session.commit()


member_identity.register_keeper(sys.modules[__name__])  # members holds a certified company's changes through us
