"""Demo companies, sites and accounts (fictional names, valid-checksum Partita IVA)."""

from datetime import date

from sqlalchemy import select
from stdnum import luhn

from portal.access import Role
from portal.demo import seeder
from portal.extensions import db
from portal.members import second_factor
from portal.members.models import Company, MembershipRequest, MembershipState, RequestStatus, Site, User

DEMO_PASSWORD = "Assocontact-demo-2026"
DEMO_TOTP_SECRET = "ASSOCONTACTDEMOADMINTOTPDUEMILAX"  # published: demo data only (`flask demo` refuses production)


def demo_partita_iva(n: int) -> str:
    """A valid Partita IVA: 7 digits, Rome's office code 058, check digit."""
    body = f"{1234500 + n:07d}058"
    return body + luhn.calc_check_digit(body)


# ragione sociale, comune, provincia, regione, state, sites: (name, comune, country, regione, seats, operators, channels)
COMPANIES = [
    ("Voce Chiara S.p.A.", "Roma", "RM", "Lazio", MembershipState.ACTIVE, [
        ("Roma Tiburtina", "Roma", "IT", "Lazio", 420, 510, ["phone", "email", "chat"]),
        ("Cosenza", "Cosenza", "IT", "Calabria", 260, 300, ["phone", "social"]),
        ("Tirana", "Tirana", "AL", None, 180, 210, ["phone"]),
    ]),
    ("Contatto Sud S.r.l.", "Napoli", "NA", "Campania", MembershipState.ACTIVE, [
        ("Napoli Centro Direzionale", "Napoli", "IT", "Campania", 350, 400, ["phone", "chat", "messaging"]),
        ("Taranto", "Taranto", "IT", "Puglia", 150, 170, ["phone"]),
    ]),
    ("Relazioni Digitali S.p.A.", "Milano", "MI", "Lombardia", MembershipState.ACTIVE, [
        ("Milano Bicocca", "Milano", "IT", "Lombardia", 300, 330, ["phone", "email", "chat", "web", "social"]),
        ("Bucarest", "Bucarest", "RO", None, 120, 140, ["phone", "email"]),
    ]),
    ("Ascolto Attivo S.r.l.", "Palermo", "PA", "Sicilia", MembershipState.ACTIVE, [
        ("Palermo", "Palermo", "IT", "Sicilia", 500, 620, ["phone", "email"]),
        ("Catania", "Catania", "IT", "Sicilia", 200, 230, ["phone"]),
    ]),
    ("Linea Diretta Servizi S.p.A.", "Torino", "TO", "Piemonte", MembershipState.ACTIVE, [
        ("Torino Lingotto", "Torino", "IT", "Piemonte", 280, 300, ["phone", "web"]),
    ]),
    ("Nuove Connessioni S.r.l.", "Bari", "BA", "Puglia", MembershipState.ACTIVE, [
        ("Bari", "Bari", "IT", "Puglia", 220, 260, ["phone", "chat"]),
        ("Tunisi", "Tunisi", "TN", None, 90, 100, ["phone"]),
    ]),
    ("Customer Care Adriatica S.r.l.", "Pescara", "PE", "Abruzzo", MembershipState.ACTIVE, [
        ("Pescara", "Pescara", "IT", "Abruzzo", 160, 180, ["phone", "email"]),
    ]),
    ("Servizi Clienti Sardi S.r.l.", "Cagliari", "CA", "Sardegna", MembershipState.ACTIVE, [
        ("Cagliari", "Cagliari", "IT", "Sardegna", 140, 150, ["phone"]),
    ]),
    ("Multicanale Italia S.p.A.", "Bologna", "BO", "Emilia-Romagna", MembershipState.SUSPENDED, [
        ("Bologna", "Bologna", "IT", "Emilia-Romagna", 190, 210, ["phone", "chat", "social"]),
    ]),
    ("Interazioni Toscane S.r.l.", "Firenze", "FI", "Toscana", MembershipState.ACTIVE, [
        ("Firenze Novoli", "Firenze", "IT", "Toscana", 130, 140, ["phone", "email"]),
    ]),
    ("Phoneta Calabria S.r.l.", "Catanzaro", "CZ", "Calabria", MembershipState.CEASED, [
        ("Catanzaro", "Catanzaro", "IT", "Calabria", 80, 60, ["phone"]),
    ]),
    ("Dialogo Veneto S.r.l.", "Padova", "PD", "Veneto", MembershipState.REQUESTED, []),
]

STAFF_ACCOUNTS = [
    ("admin@assocontact.demo", "Anna Amministratrice", Role.ADMIN),
    ("staff@assocontact.demo", "Stefano Staff", Role.STAFF),
    ("staff2@assocontact.demo", "Silvia Segreteria", Role.STAFF),
    ("valutatore1@assocontact.demo", "Valeria Valutatrice", Role.AUDITOR),
    ("valutatore2@assocontact.demo", "Vittorio Verificatore", Role.AUDITOR),
    ("valutatore3@assocontact.demo", "Vanessa Verifiche", Role.AUDITOR),
]


def _slug(name: str) -> str:
    return name.split()[0].lower().replace("à", "a")


def _user(email: str, name: str, role: Role, company: Company | None = None) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, role=role, company=company)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    return user


def _company(n: int, spec) -> Company:
    name, comune, provincia, regione, state, sites = spec
    piva = demo_partita_iva(n)
    company = db.session.scalar(select(Company).where(Company.partita_iva == piva))
    if company is not None:
        return company
    company = Company(
        ragione_sociale=name, partita_iva=piva, codice_fiscale=piva, pec=f"{_slug(name)}@pec.demo.it",
        indirizzo=f"Via dei Mille {n + 1}", cap="00100", comune=comune, provincia=provincia, regione=regione,
        membership_state=state, requested_on=date(2024, 1, 10),
        member_since=None if state == MembershipState.REQUESTED else date(2024, 2, 1),
        suspended_on=date(2026, 6, 1) if state == MembershipState.SUSPENDED else None,
        ceased_on=date(2025, 12, 31) if state == MembershipState.CEASED else None,
    )
    for site_name, site_comune, country, site_region, seats, operators, channels in sites:
        company.sites.append(Site(name=site_name, indirizzo="Via del Lavoro 1", comune=site_comune, country=country,
                                  regione=site_region, seats=seats, operators=operators, channels=channels))
    db.session.add(company)
    if state == MembershipState.REQUESTED:
        db.session.add(MembershipRequest(company=company, contact_name="Davide Dialogo", contact_email=f"referente@{_slug(name)}.demo",
                                         message="Vorremmo aderire all'associazione.", status=RequestStatus.PENDING))
    return company


@seeder(10)
def seed_members() -> list[str]:
    for email, name, role in STAFF_ACCOUNTS:
        user = _user(email, name, role)
        if role == Role.ADMIN and not second_factor.is_enrolled(user):
            db.session.flush()
            second_factor.preset(user, DEMO_TOTP_SECRET)
    lines = [f"Account demo (password per tutti: {DEMO_PASSWORD})"]
    lines += [f"  {role.value:<14} {email}" for email, _, role in STAFF_ACCOUNTS]
    admin = STAFF_ACCOUNTS[0][0]
    lines += [f"  L'amministratore ({admin}) ha la verifica in due passaggi: aggiungi all'app di autenticazione",
              f"  la chiave {DEMO_TOTP_SECRET}, oppure leggi il codice del momento con",
              f"  .venv/bin/flask --app portal users demo-code {admin}"]
    for n, spec in enumerate(COMPANIES):
        company = _company(n, spec)
        if company.membership_state in (MembershipState.ACTIVE, MembershipState.SUSPENDED):
            slug = _slug(company.ragione_sociale)
            _user(f"admin@{slug}.demo", f"Referente {company.ragione_sociale}", Role.COMPANY_ADMIN, company)
            _user(f"utente@{slug}.demo", f"Operatore qualità {company.ragione_sociale}", Role.APPLICANT, company)
            if n < 3:
                lines.append(f"  company_admin  admin@{slug}.demo  ({company.ragione_sociale})")
                lines.append(f"  applicant      utente@{slug}.demo  ({company.ragione_sociale})")
    return lines
