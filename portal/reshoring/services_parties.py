"""Every state change of the organisations that sit at the tables and of their contact people."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit import record
from portal.extensions import db
from portal.reshoring.models import Contact, Organisation
from portal.reshoring.services import _create_or_update, pick
from portal.rules import RuleError

ORGANISATION_FIELDS = ["kind", "name", "company_id"]
CONTACT_FIELDS = ["name", "email", "role"]


def save_organisation(organisation: Organisation | None, data: dict) -> Organisation:
    values = pick(data, ORGANISATION_FIELDS) | {"name": data["name"].strip(), "company_id": data.get("company_id") or None}
    others = select(Organisation).where(Organisation.id != (organisation.id if organisation else None))
    if db.session.scalar(others.where(func.lower(Organisation.name) == values["name"].lower())) is not None:
        raise RuleError(_("Esiste già un'organizzazione con questo nome."))
    if values["company_id"] is not None:
        holder = db.session.scalar(others.where(Organisation.company_id == values["company_id"]))
        if holder is not None:
            raise RuleError(_("Questa azienda associata è già l'organizzazione «%(name)s».", name=holder.name))
    organisation = _create_or_update(organisation, Organisation, ORGANISATION_FIELDS, values, "organisation")
    db.session.commit()
    return organisation


def save_contact(organisation: Organisation, contact: Contact | None, data: dict) -> Contact:
    values = pick(data, CONTACT_FIELDS) | {"email": data["email"].strip().lower(), "name": data["name"].strip(),
                                           "role": (data.get("role") or "").strip()}
    if any(c.email == values["email"] and c is not contact for c in organisation.contacts):
        raise RuleError(_("Questa persona è già tra i contatti dell'organizzazione."))
    contact = _create_or_update(contact, Contact, CONTACT_FIELDS, values, "contact", organisation=organisation)
    contact.active = True
    db.session.commit()
    return contact


def deactivate_contact(contact: Contact) -> None:
    """The person no longer receives invitations; past invitations keep their name."""
    record("contact.deactivate", contact, {"email": contact.email})
    contact.active = False
    db.session.commit()
