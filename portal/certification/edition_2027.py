"""The draft of edition 2027 (illustrative): edition 2026 with its service figures per contact
channel, as the ANPAL reference case and ISO 18295-1 measure them (docs `kpi.md`, `origin.md`).

Built through the scheme editor's own functions (copy, edit rules, add and change parameters),
as staff would, so the audit log and the parameters' lineage are those of a real draft. Phone
targets are those of 2026 (AGCOM, ARERA); the other channels' targets are illustrative.
"""

from decimal import Decimal

from sqlalchemy import select

from portal.certification import scheme
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.models import Edition
from portal.extensions import db
from portal.members.models import User

CODE = "2027"

RULES = {"code": CODE, "title": "Bollino Blu, edizione 2027", "illustrative": True, "scale_max": 4, "grant_threshold": 70,
         "distinction_threshold": 85, "mandatory_min_score": 3,
         "notes": "Bozza dimostrativa: gli indicatori di servizio diventano per canale (telefono, e-mail, chat, social, web self-service)."}

# The 2026 phone figures, now said to be the phone's: code -> new question.
PHONE = {
    "C1": "Telefono — livello di servizio: chiamate risposte entro 20 secondi",
    "C2": "Telefono — tempo medio di risposta (ASA)",
    "C3": "Telefono — tasso di abbandono",
    "C4": "Telefono — risoluzione al primo contatto (FCR)",
}

# code, channel, question, help, unit, target, direction, weight
CHANNEL_FIGURES = [
    ("C7", "email", "E-mail — livello di servizio: e-mail con risposta entro 24 ore",
     "E-mail con risposta completa entro 24 ore sul totale ricevute nel periodo.", "%", "90", "higher", 1),
    ("C8", "email", "E-mail — tempo medio di risposta", "Ore tra la ricezione e la risposta, in media.", "ore", "8", "lower", 1),
    ("C9", "email", "E-mail — risoluzione al primo contatto (FCR)",
     "E-mail risolte con la prima risposta, senza ulteriori scambi né passaggio al back office.", "%", "70", "higher", 1),
    ("C10", "chat", "Chat — livello di servizio: chat accolte entro 60 secondi",
     "Chat a cui risponde un operatore entro 60 secondi sul totale offerte.", "%", "80", "higher", 1),
    ("C11", "chat", "Chat — tempo medio di risposta (ASA)", "Secondi di attesa prima della risposta di un operatore, in media.",
     "s", "45", "lower", 1),
    ("C12", "chat", "Chat — tasso di abbandono", "Chat chiuse dal cliente prima della risposta sul totale offerte.",
     "%", "10", "lower", 1),
    ("C13", "chat", "Chat — risoluzione al primo contatto (FCR)", "Chat risolte senza ulteriore contatto né passaggio al back office.",
     "%", "75", "higher", 1),
    ("C14", "social", "Social — livello di servizio: messaggi con risposta entro 2 ore",
     "Messaggi privati e menzioni con risposta entro 2 ore sul totale ricevuti.", "%", "80", "higher", 1),
    ("C15", "social", "Social — risoluzione al primo contatto (FCR)",
     "Richieste ricevute sui social risolte senza rimandare il cliente a un altro canale.", "%", "60", "higher", 1),
    ("C16", "web", "Web self-service — tasso di abbandono dei percorsi",
     "Percorsi di self-service iniziati e lasciati a metà sul totale iniziati.", "%", "30", "lower", 1),
    ("C17", "web", "Web self-service — richieste risolte senza operatore",
     "Richieste chiuse nel self-service senza passare a un operatore sul totale delle richieste.", "%", "50", "higher", 1),
]


def parameter_data(parameter, **changes) -> dict:
    data = {f: getattr(parameter, f) for f in scheme.PARAMETER_FIELDS}
    return data | {"choices": "\n".join(parameter.choices)} | changes


def build_draft(staff: User) -> Edition:
    """Copy 2026 and turn its service figures into figures per channel, as staff do in the editor."""
    draft = scheme.copy_edition(ensure_starting_edition(), staff)
    scheme.update_rules(draft, RULES, staff)
    quality = next(a for a in draft.areas if a.code == "C")
    scheme.save_area(draft, quality, {"code": "C", "title": "Qualità del servizio per canale", "weight": quality.weight}, staff)
    for parameter in quality.parameters:
        if parameter.code in PHONE:
            scheme.save_parameter(quality, parameter, parameter_data(parameter, question=PHONE[parameter.code], channel="phone"), staff)
    for code, channel, question, help_, unit, target, direction, weight in CHANNEL_FIGURES:
        scheme.save_parameter(quality, None, {
            "code": code, "question": question, "help": help_, "kind": "number", "unit": unit, "target": Decimal(target),
            "direction": direction, "choices": "", "evidence_required": False, "weight": weight, "mandatory": False,
            "key_figure": False, "linked_check": "", "channel": channel}, staff)
    return draft


def find_draft() -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.code == CODE))
