"""Demo data: work abroad with complete and incomplete art. 24-bis obligations, proposals in every
state with named and unnamed supports, organisations with their contacts, two past roundtables
(approved minutes; minutes out for comments) and one upcoming with its invitations answered in
every way, actions in every status, sector figures, a brief.

Builds on the members' demo (companies with sites in Albania, Romania and Tunisia). Written
as rows, not through the services, so that seeding sends no e-mail; safe to run twice.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.demo import seeder
from portal.extensions import db
from portal.members.demo import demo_partita_iva
from portal.members.models import Company, User
from portal.provenance import Kind
from portal.reshoring.models import (
    ATTENDING,
    BLOCKED,
    DECLINED,
    DELEGATED,
    DONE,
    IN_PROGRESS,
    INVITED,
    MINUTES_APPROVED,
    MINUTES_IN_REVIEW,
    TO_DO,
    WORKERS_KEY,
    ActionUpdate,
    AgendaItem,
    Brief,
    CompanyProfile,
    Contact,
    FollowUpAction,
    MinutesComment,
    Organisation,
    Proposal,
    ProposalStateChange,
    Roundtable,
    RoundtableInvitation,
    RoundtableParty,
    SectorFigure,
    Support,
    WorkAbroad,
)
from portal.reshoring.services import ensure_workflow, state_by_code

# label, value, unit, year, source, kind, note, key (as in the domain reference: official figures only where read in the source)
FIGURES = [
    ("Addetti dei contact center in Italia", Decimal(80000), "addetti", 2024, "Stime di settore riportate dalla stampa", Kind.REPORTED, "circa", WORKERS_KEY),
    ("Fatturato del settore", Decimal(3_000_000_000), "euro", 2024, "Stime di settore riportate dalla stampa", Kind.REPORTED, "circa", None),
    ("Operatori in Albania al servizio di committenti italiani", Decimal(25000), "operatori", 2015, "Dati riportati dalla stampa di settore", Kind.REPORTED, "più di", None),
    ("Operatori in Albania al servizio di committenti italiani", Decimal(9837), "operatori", 2023, "Dati riportati dalla stampa di settore", Kind.REPORTED, "", None),
    ("Contact center INPS: contatti gestiti", Decimal(1_900_000), "contatti al mese", 2022, "Dati INPS riportati dalla stampa", Kind.REPORTED, "circa", None),
    ("Contact center INPS: addetti internalizzati il 1° dicembre 2022", Decimal(3100), "addetti", 2022, "Dati INPS riportati dalla stampa", Kind.REPORTED, "", None),
    ("Volumi in outsourcing da gestire in Italia", Decimal(80), "%", 2017, "Protocollo Ministero del Lavoro, imprese e sindacati del 4 maggio 2017, come riportato", Kind.REPORTED, "almeno", None),
    ("Volumi dei contact center in-house mantenuti in Italia", Decimal(95), "%", 2017, "Protocollo Ministero del Lavoro, imprese e sindacati del 4 maggio 2017, come riportato", Kind.REPORTED, "", None),
    ("Numero Unico del Lavoro ANPAL: contatti gestiti (29/11/2016 – 18/05/2018)", Decimal(68673), "contatti", 2018, "ANPAL e Formez PA, Forum PA 24 maggio 2018", Kind.OFFICIAL, "98% chiusi al primo livello", None),
]

# title, final state, public, company (partita IVA order in the members' demo) or None, values
PROPOSALS = [
    ("Credito d'imposta per ogni FTE riportato in Italia", True, None, dict(
        summary="Un credito d'imposta per **ogni addetto equivalente a tempo pieno** riportato in Italia da sedi estere, per tre anni.",
        measure="- credito di 6.000 euro l'anno per FTE riportato\n- cumulabile con la decontribuzione Sud\n- revoca se l'attività torna all'estero entro 5 anni",
        addressees=["mimit", "ministero_lavoro"], fte_reshored=1500, from_countries=["AL", "RO", "TN"], to_regions=["Calabria", "Puglia", "Sicilia", "Campania"],
        yearly_volume=45_000_000, volume_unit="contatti", state_cost=Decimal(27_000_000), timeframe_months=24)),
    ("Premialità negli appalti pubblici per il lavoro svolto in Italia", True, None, dict(
        summary="Punteggio aggiuntivo nelle gare pubbliche di contact center per chi svolge il servizio in Italia o nell'Unione europea.",
        measure="Criterio di aggiudicazione che premia la localizzazione del servizio, coerente con l'art. 24-bis e con il Codice dei contratti pubblici.",
        addressees=["ministero_lavoro", "committenti", "regioni"], fte_reshored=800, from_countries=["AL", "TN"], to_regions=["Lazio", "Sicilia"],
        yearly_volume=20_000_000, volume_unit="contatti", state_cost=Decimal(0), timeframe_months=12)),
    ("Applicazione rigorosa dell'art. 24-bis e registro delle comunicazioni", True, None, dict(
        summary="Controlli sulle comunicazioni di delocalizzazione e un registro consultabile dai committenti.",
        measure="Registro presso il Ministero del Lavoro delle comunicazioni art. 24-bis; verifiche dell'Ispettorato a campione.",
        addressees=["ministero_lavoro", "mimit"], fte_reshored=400, from_countries=["AL"], to_regions=["Puglia"],
        yearly_volume=None, state_cost=Decimal(1_500_000), timeframe_months=6)),
    ("Fondo per la formazione alle competenze digitali degli operatori", True, None, dict(
        summary="Un fondo per riqualificare gli operatori che tornano a lavorare in Italia su canali digitali.",
        measure="Fondo di 20 milioni di euro per corsi su chat, social e intelligenza artificiale.",
        addressees=["ministero_lavoro", "regioni", "sindacati"], fte_reshored=600, from_countries=["RO"], to_regions=["Campania", "Sardegna"],
        yearly_volume=900_000, volume_unit="ore", state_cost=Decimal(20_000_000), timeframe_months=18)),
    ("Decontribuzione totale per le assunzioni da reshoring", False, None, dict(
        summary="Esonero contributivo totale per tre anni sulle assunzioni legate al rientro di attività.",
        measure="Esonero del 100% dei contributi a carico del datore di lavoro per 36 mesi.",
        addressees=["ministero_lavoro"], fte_reshored=2000, from_countries=["AL", "RO", "TN"], to_regions=["Calabria", "Sicilia"],
        state_cost=Decimal(90_000_000), timeframe_months=36)),
    ("Clausola sociale nei cambi di appalto con rientro dall'estero", True, None, dict(
        summary="Nei cambi di appalto il nuovo fornitore riassorbe il personale anche quando il servizio rientra dall'estero.",
        measure="Estensione della clausola sociale del CCNL TLC ai servizi che rientrano in Italia.",
        addressees=["committenti", "sindacati"], fte_reshored=300, from_countries=["AL"], to_regions=["Lazio"], timeframe_months=12)),
    ("Sportello regionale per il reshoring in Calabria", False, 0, dict(
        summary="Uno sportello della Regione Calabria che accompagna le aziende che riportano attività nella regione.",
        measure="Sportello unico con referenti per incentivi, formazione e sedi disponibili.",
        addressees=["regioni"], fte_reshored=150, from_countries=["AL"], to_regions=["Calabria"], timeframe_months=12)),
]

# the path of each proposal through the states: (state, session index or None, days ago, reason)
PATHS = [
    [("presentata", None, 120, ""), ("in_discussione", 0, 60, ""), ("accolta_in_parte", 1, 20, "Accolto per le sole regioni del Mezzogiorno e con un tetto di 1.000 FTE.")],
    [("presentata", None, 100, ""), ("in_discussione", 1, 20, "")],
    [("presentata", None, 110, ""), ("in_discussione", 0, 60, ""), ("accolta", 1, 20, "")],
    [("presentata", None, 30, "")],
    [("presentata", None, 115, ""), ("respinta", 0, 60, "Il costo per lo Stato non ha copertura nella legge di bilancio.")],
    [("presentata", None, 400, ""), ("in_discussione", None, 300, ""), ("accolta", None, 250, ""), ("attuata", None, 90, "Recepita nel rinnovo del CCNL.")],
    [],
]

OUTCOMES = {
    "in_discussione": "Le parti concordano di approfondire la proposta in un tavolo tecnico.",
    "accolta": "Il Ministero accoglie la proposta e prepara il provvedimento.",
}

# company index in the members' demo, FTE per region, from, months, conditions, named (consents to be named), per proposal index
SUPPORTS = {
    0: [(0, {"Calabria": 90, "Lazio": 30}, ["AL"], 12, "Se il credito copre almeno tre anni e vale anche per i contratti in corso.", True),
        (2, {"Lombardia": 60}, ["RO"], 18, "Con un accordo sindacale sulla flessibilità oraria.", False),
        (5, {"Puglia": 40}, ["TN"], 12, "", False),
        (3, {"Sicilia": 70}, ["AL"], 12, "", False),
        (6, {"Abruzzo": 25, "Puglia": 10}, ["AL"], 18, "", False)],
    1: [(0, {"Lazio": 80}, ["AL"], 12, "", True), (1, {"Campania": 50}, [], 6, "Gare con criteri di qualità e non al massimo ribasso.", False)],
    2: [(3, {}, [], None, "Sosteniamo la proposta anche senza attività all'estero.", True)],
    3: [(2, {"Lombardia": 30}, ["RO"], 24, "Formazione finanziata per almeno 80 ore a operatore.", False)],
    5: [(0, {"Lazio": 25}, ["AL"], 6, "", True)],
}

ROUNDTABLES = [
    ("Tavolo di settore dei contact center", -60, "Roma, Ministero delle Imprese e del Made in Italy, via Molise 2", "", "Ministero delle Imprese e del Made in Italy"),
    ("Tavolo tecnico sulla delocalizzazione dei call center", -20, "", "https://videoconferenza.lavoro.gov.example/tavolo-callcenter", "Ministero del Lavoro e delle Politiche Sociali"),
    ("Tavolo di settore: il reshoring del lavoro dei contact center", 14, "Roma, Ministero delle Imprese e del Made in Italy, via Veneto 33", "", "Ministero delle Imprese e del Made in Italy"),
]
# kind, name, member company index or None, contacts (name, e-mail, role): fictional people at .demo addresses
ORGANISATIONS = [
    ("ministero", "Ministero delle Imprese e del Made in Italy", None,
     [("Marta Ministeri", "tavoli@mimit.demo", "Segreteria tecnica"), ("Luca Lettieri", "l.lettieri@mimit.demo", "Dirigente")]),
    ("ministero", "Ministero del Lavoro e delle Politiche Sociali", None, [("Paola Politi", "tavoli@lavoro.demo", "Direzione generale")]),
    ("associazione", "Assocontact", None, [("Stefano Staff", "staff@assocontact.demo", "Segreteria")]),
    ("associazione", "Asstel", None, [("Andrea Asti", "segreteria@asstel.demo", "")]),
    ("sindacato", "SLC-CGIL", None, [("Sara Sindacati", "nazionale@slc.demo", "Segretaria nazionale")]),
    ("sindacato", "FISTel-CISL", None, [("Fabio Fistel", "nazionale@fistel.demo", "")]),
    ("sindacato", "UILCOM-UIL", None, [("Ugo Uilcom", "nazionale@uilcom.demo", "")]),
    ("sindacato", "UGL Telecomunicazioni", None, [("Giulia Gelli", "tlc@ugl.demo", "")]),
    ("committente", "Grande Operatore Telefonico S.p.A.", None, [("Carlo Committenti", "acquisti@operatore.demo", "Responsabile acquisti")]),
    ("committente", "Multiutility Energia S.p.A.", None, [("Elena Energie", "acquisti@multiutility.demo", "")]),
    ("outsourcer", "Voce Chiara S.p.A.", 0, [("Amministratore Voce Chiara", "admin@voce.demo", "Amministratore delegato")]),
    ("outsourcer", "Contatto Sud S.r.l.", 1, []),
]
# the upcoming session's invitations: contact e-mail -> answer (the others are still to answer)
ANSWERS = {"tavoli@mimit.demo": ATTENDING, "nazionale@slc.demo": ATTENDING, "tlc@ugl.demo": DECLINED,
           "acquisti@operatore.demo": DELEGATED}
MINUTES = [
    "Presenti i ministeri, le associazioni e i sindacati. Il MIMIT apre il tavolo sul lavoro delocalizzato.\n\n"
    "- Assocontact presenta il credito d'imposta e la proposta sull'art. 24-bis;\n- i sindacati chiedono controlli sulle comunicazioni;\n"
    "- la decontribuzione totale è respinta per mancanza di copertura.\n\nProssimo incontro tecnico al Ministero del Lavoro.",
    "Riunione tecnica in videoconferenza.\n\n- Il credito d'imposta è accolto in parte, per il Mezzogiorno;\n"
    "- il registro delle comunicazioni art. 24-bis è accolto;\n- la premialità negli appalti passa alla discussione con i committenti.",
]
# session index, agenda position (0-based), description, owner, due in days (negative: past), status, progress, note
ACTIONS = [
    (0, 0, "Inviare al MIMIT la stima dei costi del credito d'imposta", "Assocontact", -45, DONE, 100, "Stima inviata con il dossier."),
    (1, 0, "Raccogliere i dati delle aziende sul lavoro in Albania", "Assocontact", -5, IN_PROGRESS, 60, "Risposte da 4 aziende su 6."),
    (1, 1, "Bozza del decreto sul registro delle comunicazioni", "Ministero del Lavoro e delle Politiche Sociali", 25, TO_DO, 0, ""),
    (1, 1, "Parere dell'Ispettorato sui controlli a campione", "Ministero del Lavoro e delle Politiche Sociali", -2, BLOCKED, 20,
     "In attesa del parere del Garante sul trattamento dei dati."),
]

# company index, country, place, site name or None, sector, FTE, contacts, hours, start (days ago), end (days ago) or None,
# notice days before start or None per recipient, client, callers told the country, Italy/EU operator on request
ALL_NOTICES = {"lavoro": 45, "inl": 45, "mimit": 40, "garante": 31}
WORK_ABROAD = [
    (0, "AL", "Tirana", "Tirana", "telecom", Decimal("210.5"), 2_400_000, None, 700, None, ALL_NOTICES, "Grande Operatore Telefonico S.p.A.", True, True),
    (1, "AL", "Durazzo", None, "energia", Decimal(60), 600_000, None, -50, None, {"lavoro": None, "inl": None, "mimit": None, "garante": None},
     "Multiutility Energia S.p.A.", None, None),
    (3, "AL", "Scutari", None, "telecom", Decimal(85), 950_000, None, 500, None, ALL_NOTICES, "", True, False),
    (6, "AL", "Valona", None, "energia", Decimal(40), None, 70_000, 420, None, ALL_NOTICES, "Multiutility Energia S.p.A.", True, True),
    (2, "RO", "Bucarest", "Bucarest", "finanza", Decimal(140), None, 230_000, 400, None, {"lavoro": 60, "inl": 60, "mimit": 60, "garante": None},
     "Banca Esempio S.p.A.", True, None),
    (7, "RO", "Timișoara", None, "telecom", Decimal(55), 500_000, None, 380, None, ALL_NOTICES, "Grande Operatore Telefonico S.p.A.", True, None),
    (9, "RO", "Iași", None, "altro", Decimal(35), 300_000, None, 260, None, ALL_NOTICES, "Editoria Digitale S.r.l.", True, None),
    (5, "TN", "Tunisi", "Tunisi", "pa", Decimal(100), 900_000, None, 300, None, {"lavoro": 30, "inl": 20, "mimit": 30, "garante": 30},
     "Ente Pubblico Esempio", False, True),
    (4, "TN", "Sousse", None, "telecom", Decimal(45), 400_000, None, 900, 120, {"lavoro": None, "inl": None, "mimit": None, "garante": None},
     "Grande Operatore Telefonico S.p.A.", None, None),
    (9, "MD", "Chișinău", None, "altro", Decimal(30), 250_000, None, 200, None, ALL_NOTICES, "Editoria Digitale S.r.l.", True, True),
    (3, "MD", "Bălți", None, "telecom", Decimal(20), 180_000, None, 150, None, ALL_NOTICES, "Grande Operatore Telefonico S.p.A.", True, True),
]
# company index, employees, ROC number ("" not registered)
PROFILES = [(0, 1020, "12345"), (1, 570, "23456"), (2, 470, ""), (3, 850, "34567"), (5, 360, "45678"), (6, 15, ""), (7, 150, "56789"),
            (9, 140, "67890")]

POSITION = (
    "Assocontact chiede che il lavoro dei contact center torni in Italia con **misure stabili e verificabili**: "
    "un credito d'imposta per ogni FTE riportato, il rispetto dell'art. 24-bis e gare pubbliche che premino il lavoro svolto in Italia.\n\n"
    "Le aziende associate hanno già indicato **oltre 300 FTE** che potrebbero rientrare entro 18 mesi, soprattutto nel Mezzogiorno."
)


def _companies() -> list[Company]:
    return [db.session.scalar(select(Company).where(Company.partita_iva == demo_partita_iva(n))) for n in range(12)]


def _staff() -> User | None:
    return db.session.scalar(select(User).where(User.email == "staff@assocontact.demo"))


def _ago(days: int) -> datetime:
    return datetime.now(UTC).replace(hour=9, minute=30, second=0, microsecond=0) - timedelta(days=days)


def _seed_figures() -> None:
    for label, value, unit, year, source, kind, note, key in FIGURES:
        if db.session.scalar(select(SectorFigure.id).where(SectorFigure.label == label, SectorFigure.year == year)) is None:
            db.session.add(SectorFigure(label=label, value=value, unit=unit, year=year, source=source, kind=kind, note=note, key=key))


def _seed_work_abroad(companies: list[Company]) -> None:
    for (index, country, place, site_name, sector, fte, contacts, hours, days_ago, ended_days_ago, notices, client, informs,
         italy_eu) in WORK_ABROAD:
        company = companies[index]
        if company is None or db.session.scalar(select(WorkAbroad.id).where(
                WorkAbroad.company_id == company.id, WorkAbroad.country == country, WorkAbroad.place == place)) is not None:
            continue
        start = date.today() - timedelta(days=days_ago)
        site = next((s for s in company.sites if s.name == site_name), None)
        dates = {f"notice_{key}": (start - timedelta(days=before) if before is not None else None) for key, before in notices.items()}
        db.session.add(WorkAbroad(company_id=company.id, site_id=site.id if site else None, country=country, place=place,
                                  client_sector=sector, fte=fte, yearly_contacts=contacts, yearly_hours=hours, start_date=start,
                                  end_date=date.today() - timedelta(days=ended_days_ago) if ended_days_ago is not None else None,
                                  client_name=client, informs_callers=informs, offers_italy_eu=italy_eu,
                                  activities="Assistenza clienti di primo livello e back office.", **dates))
    for index, employees, roc in PROFILES:
        company = companies[index]
        if company is not None and db.session.scalar(select(CompanyProfile.id).where(CompanyProfile.company_id == company.id)) is None:
            db.session.add(CompanyProfile(company_id=company.id, employees=employees, roc_number=roc))


def _seed_organisations(companies: list[Company]) -> dict[str, Organisation]:
    organisations = {}
    for kind, name, company_index, contacts in ORGANISATIONS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            company = companies[company_index] if company_index is not None else None
            organisation = Organisation(kind=kind, name=name, company_id=company.id if company else None)
            organisation.contacts = [Contact(name=n, email=e, role=r) for n, e, r in contacts]
            db.session.add(organisation)
        organisations[name] = organisation
    db.session.flush()
    return organisations


def _seed_invitations(roundtable: Roundtable, upcoming: bool) -> None:
    """Everyone was invited; the upcoming session's answers are mixed, one invitee delegated a colleague."""
    for party in roundtable.parties:
        for contact in party.organisation.active_contacts:
            status = ANSWERS.get(contact.email, INVITED) if upcoming else ATTENDING
            invitation = RoundtableInvitation(roundtable=roundtable, party=party, contact_id=contact.id, name=contact.name, email=contact.email,
                                    status=status, sent_sequence=0, sent_at=roundtable.starts_at - timedelta(days=21),
                                    answered_at=roundtable.starts_at - timedelta(days=14) if status != INVITED else None)
            db.session.add(invitation)
            if status == DELEGATED:
                db.session.add(RoundtableInvitation(roundtable=roundtable, party=party, name="Davide Delegato", email="d.delegato@operatore.demo",
                                          status=ATTENDING, delegated_from=invitation, sent_sequence=0,
                                          sent_at=invitation.answered_at, answered_at=invitation.answered_at))


def _seed_roundtables(staff: User | None, organisations: dict[str, Organisation]) -> list[Roundtable]:
    roundtables = []
    for (title, days, place, link, body), minutes in zip(ROUNDTABLES, MINUTES + [""], strict=True):
        roundtable = db.session.scalar(select(Roundtable).where(Roundtable.title == title))
        if roundtable is None:
            starts = _ago(-days).replace(hour=9, minute=0)
            roundtable = Roundtable(title=title, starts_at=starts, ends_at=starts + timedelta(hours=3), place=place, link=link,
                                    convening_body=body, minutes=minutes, created_by_id=staff.id if staff else None)
            for organisation in organisations.values():
                roundtable.parties.append(RoundtableParty(organisation=organisation,
                                                          present=days < 0 and organisation.name != "UGL Telecomunicazioni"))
            db.session.add(roundtable)
            db.session.flush()
            _seed_invitations(roundtable, upcoming=days > 0)
        roundtables.append(roundtable)
    first, second = roundtables[0], roundtables[1]
    first.minutes_status, first.minutes_approved_at = MINUTES_APPROVED, first.starts_at + timedelta(days=10)
    first.minutes_approved_by_id = staff.id if staff else None
    second.minutes_status, second.minutes_comments_until = MINUTES_IN_REVIEW, date.today() + timedelta(days=5)
    slc = next(i for i in second.invitations if i.email == "nazionale@slc.demo")
    second.comments.append(MinutesComment(invitation_id=slc.id, author=f"{slc.name} (SLC-CGIL)", at=_ago(1),
                                          text="Chiediamo di riportare che i sindacati hanno chiesto controlli anche sui subappalti."))
    db.session.flush()
    return roundtables


def _agenda_item(roundtable: Roundtable, proposal: Proposal) -> AgendaItem:
    item = next((i for i in roundtable.items if i.proposal_id == proposal.id), None)
    if item is None:
        item = AgendaItem(roundtable=roundtable, proposal=proposal, position=len(roundtable.items) + 1)
        db.session.add(item)
    return item


def _seed_proposal(spec, path, staff: User | None, companies: list[Company], roundtables: list[Roundtable]) -> Proposal:
    title, public, company_index, values = spec
    company = companies[company_index] if company_index is not None else None
    author = company.users[0] if company is not None and company.users else staff
    state = state_by_code("bozza")
    created = _ago(path[0][2] + 10 if path else 5)
    proposal = Proposal(title=title, public=public, company_id=company.id if company else None, state=state,
                        author_id=author.id if author else None, created_at=created, **values)
    db.session.add(proposal)
    db.session.flush()
    proposal.history.append(ProposalStateChange(to_state_id=state.id, by_id=proposal.author_id, at=created, reason="Proposta creata"))
    for code, session, days, reason in path:
        target = state_by_code(code)
        item = None
        if session is not None:
            item = _agenda_item(roundtables[session], proposal)
            item.outcome = reason or OUTCOMES[code]
            item.outcome_state_id = target.id
            item.decided_at = roundtables[session].starts_at + timedelta(hours=2)
            item.decided_by_id = staff.id if staff else None
        proposal.history.append(ProposalStateChange(from_state_id=proposal.state.id, to_state_id=target.id, reason=reason,
                                                    by_id=staff.id if staff else None, at=item.decided_at if item else _ago(days),
                                                    agenda_item=item))
        proposal.state = target
    return proposal


def _seed_supports(proposal: Proposal, index: int, companies: list[Company]) -> None:
    for company_index, regions, countries, months, conditions, named in SUPPORTS.get(index, []):
        company = companies[company_index]
        if company is not None:
            proposal.supports.append(Support(company_id=company.id, fte=sum(regions.values()) or None, region_fte=regions,
                                             from_countries=countries, timeframe_months=months, conditions=conditions, named=named,
                                             created_at=_ago(15 + 60 * company_index + 5 * index)))


def _seed_upcoming_agenda(upcoming: Roundtable, proposals: list[Proposal]) -> None:
    for proposal in (proposals[1], proposals[3]):
        _agenda_item(upcoming, proposal)
    upcoming.items.append(AgendaItem(title="Aggiornamento sui dati del lavoro all'estero", position=len(upcoming.items) + 1,
                                     notes="Dati dichiarati dalle aziende associate sul portale."))


def _seed_actions(roundtables: list[Roundtable], organisations: dict[str, Organisation], staff: User | None) -> None:
    for session, position, description, owner, due, status, progress, note in ACTIONS:
        items = roundtables[session].items
        if position < len(items):
            action = FollowUpAction(description=description, owner=organisations[owner], due_date=date.today() + timedelta(days=due),
                                    status=status, progress=progress, done_at=_ago(-due - 3) if status == DONE else None,
                                    done_by_id=staff.id if status == DONE and staff else None)
            if status != TO_DO:
                action.updates.append(ActionUpdate(at=_ago(-due - 3 if status == DONE else 2), by_id=staff.id if staff else None,
                                                   status=status, progress=progress, note=note))
            items[position].actions.append(action)


@seeder(40)
def seed_reshoring() -> list[str]:
    ensure_workflow()
    companies = _companies()
    staff = _staff()
    _seed_figures()
    _seed_work_abroad(companies)
    if db.session.scalar(select(Proposal.id).where(Proposal.title == PROPOSALS[0][0])) is not None:
        return ["Reshoring: dati dimostrativi già presenti."]
    organisations = _seed_organisations(companies)
    roundtables = _seed_roundtables(staff, organisations)
    proposals = []
    for index, (spec, path) in enumerate(zip(PROPOSALS, PATHS, strict=True)):
        proposal = _seed_proposal(spec, path, staff, companies, roundtables)
        _seed_supports(proposal, index, companies)
        proposals.append(proposal)
    db.session.flush()
    _seed_upcoming_agenda(roundtables[2], proposals)
    _seed_actions(roundtables, organisations, staff)
    db.session.add(Brief(title=f"Dossier per il tavolo «{roundtables[2].title}»", roundtable=roundtables[2], position=POSITION,
                         addressees="Ministero delle Imprese e del Made in Italy\nDirezione generale per la politica industriale",
                         contact_name=staff.name if staff else "", contact_email=staff.email if staff else "",
                         contact_phone="06 0000 0000", created_by_id=staff.id if staff else None))
    return [f"Reshoring: {len(proposals)} proposte, {len(roundtables)} tavoli, {len(WORK_ABROAD)} attività all'estero, "
            f"{len(ORGANISATIONS)} organizzazioni, {len(FIGURES)} dati di settore."]
