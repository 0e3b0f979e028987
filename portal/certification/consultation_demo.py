"""Demo: the draft of edition 2027 (service figures per channel) went through its consultation:
member companies, a union, a client and a consumers' association commented; staff answered every
comment, changed the draft in answer to some (traced), and published the report. The draft is
ready for staff to publish. Dates are back-dated; no e-mail is sent.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.access import Role
from portal.certification import edition_2027, edition_diff, scheme
from portal.certification.consultation.models import (
    Access,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationState,
    Disposition,
    Participant,
    PartyKind,
)
from portal.database import utcnow
from portal.demo import seeder
from portal.extensions import db
from portal.members.demo import DEMO_PASSWORD, demo_partita_iva
from portal.members.models import Company, MembershipState, User

UNION_EMAIL = "referente@sindacato-flc.demo"

OUTSIDERS = {
    "union": (PartyKind.UNION, "Federazione Lavoratori della Comunicazione (dimostrativa)", "Ugo Unione", UNION_EMAIL, Access.ACCOUNT),
    "client": (PartyKind.CLIENT, "Energia Italiana S.p.A. (committente dimostrativo)", "Carla Committente",
               "acquisti@energia-italiana.demo", Access.LINK),
    "consumers": (PartyKind.ASSOCIATION, "Associazione Consumatori Uniti (dimostrativa)", "Marco Consumi",
                  "segreteria@consumatori-uniti.demo", Access.LINK),
}

# who (company number or outsider key), clause, type, stance, text, proposal, weight, target, disposition, answer
COMMENTS = [
    (2, "", "ge", "agree", "Misurare la qualità canale per canale è ciò che i committenti ci chiedono già nei capitolati.",
     "", None, None, Disposition.ACCEPTED, "Grazie: l'impostazione per canale resta."),
    ("union", "C11", "te", "propose", "45 secondi sono pochi se un operatore gestisce tre chat insieme: l'obiettivo spinge a "
     "moltiplicare le chat contemporanee a scapito della qualità.", "Portare l'obiettivo a 60 secondi.", None, Decimal("60"),
     Disposition.PARTLY, "Accolto l'obiettivo di 60 secondi; il numero di chat contemporanee per operatore sarà valutato per "
     "l'edizione successiva."),
    ("client", "C7", "te", "propose", "Nei nostri contratti chiediamo risposta alle e-mail entro 24 ore nel 95% dei casi.",
     "Obiettivo al 95%.", None, Decimal("95"), Disposition.REJECTED, "Il 95% è un obiettivo contrattuale di alcune commesse; lo schema "
     "fissa un livello che ogni azienda certificata deve garantire su tutte le commesse: resta il 90%."),
    (0, "C16", "ed", "change", "«Percorsi» non è chiaro: un cliente può aprire più pagine dello stesso percorso.",
     "Parlare di «sessioni di self-service» e definire quando una sessione è abbandonata.", None, None, Disposition.ACCEPTED,
     "Testo riformulato sulle sessioni, con la definizione di abbandono."),
    ("consumers", "C17", "te", "propose", "Il self-service non deve diventare un muro: chi non risolve da solo deve poter "
     "chiedere un operatore.", "Aggiungere un parametro: dal self-service si può sempre chiedere un operatore.", None, None,
     Disposition.ACCEPTED, "Aggiunto il parametro C18, sì/no, sul canale web."),
    (4, "C", "te", "propose", "Con gli indicatori per canale l'area della qualità pesa più di prima nel lavoro delle aziende.",
     "Portare il peso dell'area C a 30.", 30, None, Disposition.REJECTED, "Il peso delle aree resta quello del 2026 per "
     "confrontare i risultati tra le due edizioni; se ne riparlerà con i dati delle prime domande."),
    ("union", "", "ge", "change", "La clausola sociale nei cambi di appalto (A7) dovrebbe diventare obbligatoria.",
     "A7 obbligatorio.", None, None, Disposition.NOTED, "Tema fuori dal perimetro di questa bozza, che riguarda i canali: "
     "preso in nota per l'edizione 2028."),
    (1, "C14", "te", "change", "Due ore sono irraggiungibili la notte e nei festivi, quando il servizio social non è presidiato.",
     "Contare le 2 ore nell'orario di servizio dichiarato.", None, None, Disposition.ACCEPTED,
     "La definizione ora conta le ore dell'orario di servizio."),
    ("client", "C1", "te", "agree", "Bene mantenere l'80% entro 20 secondi, allineato ad ARERA.", "", None, None,
     Disposition.ACCEPTED, "Grazie."),
    (2, "C9", "ed", "change", "Per l'e-mail non è chiaro quando una richiesta è risolta al primo contatto.",
     "Precisare: nessuna nuova e-mail del cliente sullo stesso tema entro 7 giorni.", None, None, Disposition.ACCEPTED,
     "Definizione precisata come proposto."),
]

# After closing, staff change the draft in answer to comments: clause -> (changes, answered comment numbers)
CHANGES = [
    ("C11", {"target": Decimal("60")}, [2]),
    ("C16", {"question": "Web self-service — tasso di abbandono delle sessioni",
             "help": "Sessioni di self-service lasciate senza esito (nessuna pagina finale, nessuna richiesta inviata) sul totale "
                     "delle sessioni iniziate."}, [4]),
    ("C14", {"help": "Messaggi privati e menzioni con risposta entro 2 ore dell'orario di servizio dichiarato, sul totale ricevuti."}, [8]),
    ("C9", {"help": "E-mail risolte con la prima risposta: nessuna nuova e-mail del cliente sullo stesso tema entro 7 giorni."}, [10]),
]
NEW_PARAMETER = ({"code": "C18", "question": "Web self-service — da ogni percorso si può chiedere di parlare con un operatore?",
                  "help": "Indicare come (pulsante, numero, chat) e in quali percorsi.", "kind": "yes_no", "unit": "", "target": None,
                  "direction": None, "choices": "", "evidence_required": False, "weight": 1, "mandatory": False,
                  "key_figure": False, "linked_check": "", "channel": "web"}, [5])


def _company(n: int) -> Company | None:
    return db.session.scalar(select(Company).where(Company.partita_iva == demo_partita_iva(n)))


def _union_account() -> User:
    user = db.session.scalar(select(User).where(User.email == UNION_EMAIL))
    if user is None:
        user = User(email=UNION_EMAIL, name="Ugo Unione", role=Role.CONSULTEE)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def _participants(consultation: Consultation, staff: User) -> dict:
    invited_at = utcnow() - timedelta(days=45)
    found = {}
    for n in range(11):
        company = _company(n)
        if company is not None and company.membership_state == MembershipState.ACTIVE:
            found[n] = Participant(kind=PartyKind.MEMBER, organisation=company.ragione_sociale,
                                   access=Access.COMPANY, company=company, invited_at=invited_at, invited_by_id=staff.id)
            consultation.participants.append(found[n])
    for key, (kind, organisation, name, email, access) in OUTSIDERS.items():
        user = _union_account() if access == Access.ACCOUNT else None
        found[key] = Participant(kind=kind, organisation=organisation, access=access, contact_name=name,
                                 email=email, user_id=getattr(user, "id", None), invited_at=invited_at, invited_by_id=staff.id)
        consultation.participants.append(found[key])
    return found


def _author(participant: Participant) -> tuple[int | None, str]:
    if participant.company is not None:
        admin = next((u for u in participant.company.users if u.role == Role.COMPANY_ADMIN), None)
        return (admin.id, admin.name) if admin else (None, participant.organisation)
    return participant.user_id, participant.contact_name


def _comments(consultation: Consultation, participants: dict, staff: User) -> list[Comment]:
    draft = consultation.edition
    by_code = {p.code: p for p in draft.parameters}
    areas = {a.code: a for a in draft.areas}
    comments = []
    for number, (who, clause, type_, stance, text, proposal, weight, target, disposition, answer) in enumerate(COMMENTS, start=1):
        participant = participants[who]
        author_id, author_name = _author(participant)
        parameter = by_code.get(clause)
        area = parameter.area if parameter else areas.get(clause)
        sent_at = utcnow() - timedelta(days=30 - number)
        comment = Comment(consultation=consultation, participant=participant, number=number, author_id=author_id,
                          author_name=author_name, parameter=parameter, area=area, clause=clause, comment_type=type_,
                          stance=stance, text=text, proposal=proposal, proposed_weight=weight, proposed_target=target,
                          status=CommentStatus.SENT, sent_at=sent_at, sent_by_id=author_id, disposition=disposition,
                          answer=answer, answered_by_id=staff.id, answered_at=utcnow() - timedelta(days=6))
        db.session.add(comment)
        comments.append(comment)
    db.session.flush()
    return comments


def _answer_with_changes(draft, comments: list[Comment], staff: User) -> None:
    """Staff change the closed draft through the editor, naming the comments each change answers."""
    by_number = {c.number: c.id for c in comments}
    quality = next(a for a in draft.areas if a.code == "C")
    for code, changes, numbers in CHANGES:
        parameter = next(p for p in quality.parameters if p.code == code)
        data = edition_2027.parameter_data(parameter, **changes) | {"comments": [by_number[n] for n in numbers]}
        scheme.save_parameter(quality, parameter, data, staff)
    values, numbers = NEW_PARAMETER
    scheme.save_parameter(quality, None, values | {"comments": [by_number[n] for n in numbers]}, staff)


@seeder(25)
def seed_consultation() -> list[str]:
    if edition_2027.find_draft() is not None:
        return ["Consultazione sulla bozza 2027: dati demo già presenti."]
    staff = db.session.scalar(select(User).where(User.email == "staff@assocontact.demo"))
    if staff is None:
        return ["Consultazione: account demo dello staff non trovato, nessun dato creato."]
    draft = edition_2027.build_draft(staff)
    today = date.today()
    consultation = Consultation(
        edition=draft, opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=10), reminder_days=5,
        comments_visible=True, state=ConsultationState.LAUNCHED, created_by_id=staff.id,
        launched_at=utcnow() - timedelta(days=45), opening_sent_at=utcnow() - timedelta(days=40),
        reminder_sent_at=utcnow() - timedelta(days=15), consulted_snapshot=edition_diff.snapshot(draft),
        introduction="La bozza 2027 misura la qualità del servizio canale per canale: telefono, e-mail, chat, social e web "
                     "self-service. Chiediamo il vostro parere soprattutto sugli obiettivi dei nuovi indicatori (C7-C17).",
    )
    db.session.add(consultation)
    participants = _participants(consultation, staff)
    comments = _comments(consultation, participants, staff)
    db.session.commit()
    _answer_with_changes(draft, comments, staff)
    consultation.conclusions = ("Dieci commenti da sette organizzazioni. Accolta l'impostazione per canale; cambiati un obiettivo "
                                "(C11), tre definizioni (C9, C14, C16) e aggiunto il parametro C18 sul passaggio a un operatore "
                                "dal self-service. Restano invariati i pesi delle aree.")
    consultation.final_snapshot = edition_diff.snapshot(draft)
    consultation.state = ConsultationState.REPORTED
    consultation.report_published_at = utcnow() - timedelta(days=2)
    return [f"Bollino Blu: bozza {draft.code} con indicatori per canale, consultazione conclusa ({len(comments)} commenti, "
            f"rapporto pubblicato); pronta per la pubblicazione. Parte esterna con account: {UNION_EMAIL}."]
