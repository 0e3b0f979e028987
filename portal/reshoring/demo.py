"""Demo data: work abroad with complete and incomplete notices, proposals in every state with
supports, two past roundtables with minutes and outcomes, one upcoming, sector figures, a brief.

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
from portal.reshoring.models import (
    AgendaItem,
    Brief,
    FollowUpAction,
    Proposal,
    ProposalStateChange,
    Roundtable,
    RoundtableParty,
    SectorFigure,
    Support,
    WorkAbroad,
)
from portal.reshoring.services import ensure_workflow, state_by_code

# label, value, unit, year, source, official, note
FIGURES = [
    ("Addetti dei contact center in Italia", Decimal(80000), "addetti", 2024, "Stime di settore riportate dalla stampa", False, "circa"),
    ("Fatturato del settore", Decimal(3_000_000_000), "euro", 2024, "Stime di settore riportate dalla stampa", False, "circa"),
    ("Operatori in Albania al servizio di committenti italiani", Decimal(25000), "operatori", 2015, "Dati riportati dalla stampa di settore", False, "più di"),
    ("Operatori in Albania al servizio di committenti italiani", Decimal(9837), "operatori", 2023, "Dati riportati dalla stampa di settore", False, ""),
    ("Contact center INPS: contatti gestiti", Decimal(1_900_000), "contatti al mese", 2022, "Dati INPS riportati dalla stampa", False, "circa"),
    ("Contact center INPS: addetti internalizzati il 1° dicembre 2022", Decimal(3100), "addetti", 2022, "Dati INPS riportati dalla stampa", False, ""),
    ("Volumi in outsourcing da gestire in Italia", Decimal(80), "%", 2017, "Protocollo Ministero del Lavoro, imprese e sindacati del 4 maggio 2017", True, "almeno"),
    ("Volumi dei contact center in-house mantenuti in Italia", Decimal(95), "%", 2017, "Protocollo Ministero del Lavoro, imprese e sindacati del 4 maggio 2017", True, ""),
    ("Numero Unico del Lavoro ANPAL: contatti gestiti (29/11/2016 – 18/05/2018)", Decimal(68673), "contatti", 2018, "ANPAL e Formez PA, Forum PA 24 maggio 2018", True, "98% chiusi al primo livello"),
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

# company index in the members' demo, FTE, from, to, months, conditions (per proposal index)
SUPPORTS = {
    0: [(0, 120, ["AL"], ["Calabria"], 12, "Se il credito copre almeno tre anni e vale anche per i contratti in corso."),
        (2, 60, ["RO"], ["Lombardia"], 18, "Con un accordo sindacale sulla flessibilità oraria."),
        (5, 40, ["TN"], ["Puglia"], 12, "")],
    1: [(0, 80, ["AL"], ["Lazio"], 12, ""), (1, 50, [], ["Campania"], 6, "Gare con criteri di qualità e non al massimo ribasso.")],
    2: [(3, 0, [], [], None, "Sosteniamo la proposta anche senza attività all'estero.")],
    3: [(2, 30, ["RO"], ["Lombardia"], 24, "Formazione finanziata per almeno 80 ore a operatore.")],
    5: [(0, 25, ["AL"], ["Lazio"], 6, "")],
}

ROUNDTABLES = [
    ("Tavolo di settore dei contact center", -60, "Roma, Ministero delle Imprese e del Made in Italy, via Molise 2", "", "Ministero delle Imprese e del Made in Italy"),
    ("Tavolo tecnico sulla delocalizzazione dei call center", -20, "", "https://videoconferenza.lavoro.gov.example/tavolo-callcenter", "Ministero del Lavoro e delle Politiche Sociali"),
    ("Tavolo di settore: il reshoring del lavoro dei contact center", 14, "Roma, Ministero delle Imprese e del Made in Italy, via Veneto 33", "", "Ministero delle Imprese e del Made in Italy"),
]
PARTIES = [
    ("ministero", "Ministero delle Imprese e del Made in Italy"), ("ministero", "Ministero del Lavoro e delle Politiche Sociali"),
    ("associazione", "Assocontact"), ("associazione", "Asstel"), ("sindacato", "SLC-CGIL"), ("sindacato", "FISTel-CISL"),
    ("sindacato", "UILCOM-UIL"), ("sindacato", "UGL Telecomunicazioni"), ("committente", "Grande Operatore Telefonico S.p.A."),
    ("committente", "Multiutility Energia S.p.A."), ("outsourcer", "Voce Chiara S.p.A."), ("outsourcer", "Contatto Sud S.r.l."),
]
MINUTES = [
    "Presenti i ministeri, le associazioni e i sindacati. Il MIMIT apre il tavolo sul lavoro delocalizzato.\n\n"
    "- Assocontact presenta il credito d'imposta e la proposta sull'art. 24-bis;\n- i sindacati chiedono controlli sulle comunicazioni;\n"
    "- la decontribuzione totale è respinta per mancanza di copertura.\n\nProssimo incontro tecnico al Ministero del Lavoro.",
    "Riunione tecnica in videoconferenza.\n\n- Il credito d'imposta è accolto in parte, per il Mezzogiorno;\n"
    "- il registro delle comunicazioni art. 24-bis è accolto;\n- la premialità negli appalti passa alla discussione con i committenti.",
]
# session index, agenda position (0-based), description, owner, due in days (negative: past), done
ACTIONS = [
    (0, 0, "Inviare al MIMIT la stima dei costi del credito d'imposta", "Staff Assocontact", -45, True),
    (1, 0, "Raccogliere i dati delle aziende sul lavoro in Albania", "Staff Assocontact", -5, False),
    (1, 1, "Bozza del decreto sul registro delle comunicazioni", "Ministero del Lavoro", 25, False),
]

# company index, country, place, site name or None, sector, FTE, contacts, hours, start (days ago), notice days before start or None per recipient
WORK_ABROAD = [
    (0, "AL", "Tirana", "Tirana", "telecom", Decimal(210), 2_400_000, None, 700, {"lavoro": 45, "inl": 45, "mimit": 40, "garante": 31}),
    (1, "AL", "Durazzo", None, "energia", Decimal(60), 600_000, None, -50, {"lavoro": None, "inl": None, "mimit": None, "garante": None}),
    (2, "RO", "Bucarest", "Bucarest", "finanza", Decimal(140), None, 230_000, 400, {"lavoro": 60, "inl": 60, "mimit": 60, "garante": None}),
    (5, "TN", "Tunisi", "Tunisi", "pa", Decimal(100), 900_000, None, 300, {"lavoro": 30, "inl": 20, "mimit": 30, "garante": 30}),
]

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
    for label, value, unit, year, source, official, note in FIGURES:
        if db.session.scalar(select(SectorFigure.id).where(SectorFigure.label == label, SectorFigure.year == year)) is None:
            db.session.add(SectorFigure(label=label, value=value, unit=unit, year=year, source=source, official=official, note=note))


def _seed_work_abroad(companies: list[Company]) -> None:
    for index, country, place, site_name, sector, fte, contacts, hours, days_ago, notices in WORK_ABROAD:
        company = companies[index]
        if company is None or db.session.scalar(select(WorkAbroad.id).where(
                WorkAbroad.company_id == company.id, WorkAbroad.country == country, WorkAbroad.place == place)) is not None:
            continue
        start = date.today() - timedelta(days=days_ago)
        site = next((s for s in company.sites if s.name == site_name), None)
        dates = {f"notice_{key}": (start - timedelta(days=before) if before is not None else None) for key, before in notices.items()}
        db.session.add(WorkAbroad(company_id=company.id, site_id=site.id if site else None, country=country, place=place,
                                  client_sector=sector, fte=fte, yearly_contacts=contacts, yearly_hours=hours, start_date=start,
                                  activities="Assistenza clienti di primo livello e back office.", **dates))


def _seed_roundtables(staff: User | None) -> list[Roundtable]:
    roundtables = []
    for (title, days, place, link, body), minutes in zip(ROUNDTABLES, MINUTES + [""], strict=True):
        roundtable = db.session.scalar(select(Roundtable).where(Roundtable.title == title))
        if roundtable is None:
            starts = _ago(-days).replace(hour=9, minute=0)
            roundtable = Roundtable(title=title, starts_at=starts, ends_at=starts + timedelta(hours=3), place=place, link=link,
                                    convening_body=body, minutes=minutes, created_by_id=staff.id if staff else None)
            for kind, name in PARTIES:
                roundtable.parties.append(RoundtableParty(kind=kind, name=name, invited=True,
                                                          present=days < 0 and name != "UGL Telecomunicazioni"))
            db.session.add(roundtable)
        roundtables.append(roundtable)
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
    for company_index, fte, countries, regions, months, conditions in SUPPORTS.get(index, []):
        company = companies[company_index]
        if company is not None:
            proposal.supports.append(Support(company_id=company.id, fte=fte, from_countries=countries, to_regions=regions,
                                             timeframe_months=months, conditions=conditions))


def _seed_upcoming_agenda(upcoming: Roundtable, proposals: list[Proposal]) -> None:
    for proposal in (proposals[1], proposals[3]):
        _agenda_item(upcoming, proposal)
    upcoming.items.append(AgendaItem(title="Aggiornamento sui dati del lavoro all'estero", position=len(upcoming.items) + 1,
                                     notes="Dati dichiarati dalle aziende associate sul portale."))


def _seed_actions(roundtables: list[Roundtable], staff: User | None) -> None:
    for session, position, description, owner, due, done in ACTIONS:
        items = roundtables[session].items
        if position < len(items):
            items[position].actions.append(FollowUpAction(
                description=description, owner=owner, due_date=date.today() + timedelta(days=due),
                done_at=_ago(-due - 3) if done else None, done_by_id=staff.id if done and staff else None))


@seeder(40)
def seed_reshoring() -> list[str]:
    ensure_workflow()
    companies = _companies()
    staff = _staff()
    _seed_figures()
    _seed_work_abroad(companies)
    if db.session.scalar(select(Proposal.id).where(Proposal.title == PROPOSALS[0][0])) is not None:
        return ["Reshoring: dati dimostrativi già presenti."]
    roundtables = _seed_roundtables(staff)
    proposals = []
    for index, (spec, path) in enumerate(zip(PROPOSALS, PATHS, strict=True)):
        proposal = _seed_proposal(spec, path, staff, companies, roundtables)
        _seed_supports(proposal, index, companies)
        proposals.append(proposal)
    db.session.flush()
    _seed_upcoming_agenda(roundtables[2], proposals)
    _seed_actions(roundtables, staff)
    db.session.add(Brief(title=f"Dossier per il tavolo «{roundtables[2].title}»", roundtable=roundtables[2], position=POSITION,
                         created_by_id=staff.id if staff else None))
    return [f"Reshoring: {len(proposals)} proposte, {len(roundtables)} tavoli, {len(WORK_ABROAD)} attività all'estero, {len(FIGURES)} dati di settore."]
