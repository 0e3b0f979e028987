"""No N+1: every list page costs the same number of queries with 10 rows and with 100.

Each page in PAGES names the user who opens it and a factory that adds N realistic rows (each
with its own company, sites, auditor, parties...), so a relationship loaded row by row shows
as a count that grows. 100 rows fill more than one page of every paginated list.
"""

import inspect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import event, select

from portal.access import Role
from portal.audit import AuditEntry
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.models import (
    Application,
    AppState,
    Assignment,
    Certificate,
    ChangeStatus,
    Edition,
    IdentityChange,
    IdentityChangeKind,
    SurveillanceReview,
)
from portal.core.accessibility import AccessibilityReport
from portal.database import utcnow
from portal.mail import FAILED, OutboxMessage
from portal.members.models import MembershipRequest, MembershipState, Site, User
from portal.reshoring import services as reshoring_services
from portal.reshoring.models import (
    AgendaItem,
    Brief,
    Contact,
    FollowUpAction,
    Organisation,
    Proposal,
    ProposalState,
    ProposalStateChange,
    Roundtable,
    RoundtableParty,
    SectorFigure,
    Support,
    WorkAbroad,
)
from portal.tariffs.models import Decree, DecreeRow, RateBatch, RateCheck, UpliftComponent
from tests.sessions import sign_in

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_serial = itertools.count(1)


@dataclass
class World:
    """The people who open the pages, and what every row needs (edition, workflow)."""

    db: object
    make_company: Callable
    make_user: Callable
    staff: User
    admin: User
    company_admin: User
    auditor: User
    edition: Edition

    @property
    def company(self):
        return self.company_admin.company

    def add(self, *rows):
        self.db.session.add_all(rows)
        self.db.session.flush()
        return rows[0]

    def new_company(self, **values):
        return self.make_company(sites=2, **values)

    def application(self, company=None, state=AppState.SUBMITTED, auditor=None) -> Application:
        company = company or self.new_company()
        application = self.add(Application(company_id=company.id, edition_id=self.edition.id, state=state,
                                           opened_by_id=self.company_admin.id, sites=list(company.sites)))
        self.add(Assignment(application_id=application.id, auditor_id=(auditor or self.auditor).id,
                            assigned_by_id=self.staff.id))
        return application

    def certificate(self, company=None, expires_in: int = 400) -> Certificate:
        application = self.application(company, state=AppState.GRANTED)
        issued = date.today() - timedelta(days=30)
        return self.add(Certificate(number=f"BB-Q{next(_serial):06d}", application_id=application.id,
                                    company_id=application.company_id, edition_id=self.edition.id, issued_on=issued,
                                    expires_on=date.today() + timedelta(days=expires_in), sites=list(application.sites)))

    def first(self, model, make):
        """The one object a detail page lists rows of: made on the first call, found afterwards."""
        return self.db.session.scalar(select(model).order_by(model.id)) or make()

    def state(self, code: str = "presentata") -> ProposalState:
        return self.db.session.scalar(select(ProposalState).where(ProposalState.code == code))

    def proposal(self, public: bool = False, state: str = "presentata") -> Proposal:
        company = self.new_company()
        proposal = self.add(Proposal(title=f"Proposta {next(_serial)}", summary="Sintesi", measure="Misura",
                                     addressees=["mimit"], state_id=self.state(state).id, author_id=self.staff.id,
                                     company_id=company.id, public=public, fte_reshored=100,
                                     from_countries=["AL"], to_regions=["Calabria"]))
        self.add(Support(proposal_id=proposal.id, company_id=self.new_company().id, fte=20, region_fte={"Calabria": 20},
                         created_by_id=self.staff.id))
        return proposal

    def roundtable(self, days_from_now: int) -> Roundtable:
        roundtable = self.add(Roundtable(title=f"Tavolo {next(_serial)}", starts_at=utcnow() + timedelta(days=days_from_now),
                                         place="Roma", convening_body="MIMIT", created_by_id=self.staff.id))
        self.add(RoundtableParty(roundtable_id=roundtable.id, organisation_id=self.organisation().id),
                 AgendaItem(roundtable_id=roundtable.id, proposal_id=self.proposal().id, title="Punto"))
        return roundtable

    def organisation(self, kind: str = "ministero") -> Organisation:
        organisation = self.add(Organisation(kind=kind, name=f"Organizzazione {next(_serial)}"))
        self.add(Contact(organisation_id=organisation.id, name="Referente", email=f"referente{next(_serial)}@example.it"))
        return organisation

    def work_abroad(self, company=None) -> WorkAbroad:
        company = company or self.new_company()
        site = self.add(Site(company_id=company.id, name="Sede estera", indirizzo="Rruga 1", comune="Tirana", country="AL"))
        start = date.today() - timedelta(days=100)
        return self.add(WorkAbroad(company_id=company.id, site_id=site.id, country="AL", place="Tirana", client_sector="telecom",
                                   fte=Decimal(50), start_date=start, notice_lavoro=start, created_by_id=self.company_admin.id))

    def rate_check(self, company, batch=None, line=None) -> RateCheck:
        return self.add(RateCheck(company_id=company.id, user_id=self.company_admin.id, batch_id=batch.id if batch else None,
                                  line=line, client_name="Cliente", client_sector="telecom", level="3",
                                  rate=Decimal("0.50"), unit="minuto", rate_date=date(2025, 1, 1), esito="conforme"))


def _times(n, make):
    for _ in range(n):
        make()


# --- the factories: add(world, n) creates n rows for one page --------------------------------

def add_companies(w, n):
    for _ in range(n):
        w.make_user(Role.COMPANY_ADMIN, w.new_company())


def add_users(w, n):
    _times(n, lambda: w.make_user(Role.APPLICANT, w.new_company()))


def add_membership_requests(w, n):
    _times(n, lambda: w.add(MembershipRequest(company_id=w.new_company(state=MembershipState.REQUESTED).id,
                                              contact_name="Referente", contact_email="referente@example.it")))


def add_own_sites_and_colleagues(w, n):
    for i in range(n):
        w.add(Site(company_id=w.company.id, name=f"Sede {i}", indirizzo="Via Po 1", comune="Torino", country="IT",
                   regione="Piemonte"))
        w.make_user(Role.APPLICANT, w.company)


def add_audit_entries(w, n):
    _times(n, lambda: w.add(AuditEntry(actor_id=w.make_user(Role.STAFF).id, action="company.update",
                                       object_type="company", object_id=w.company.id, object_label="Azienda")))


def add_outbox(w, n):
    _times(n, lambda: w.add(OutboxMessage(recipient="a@example.it", subject="Oggetto", body="Testo", status=FAILED)))


def add_accessibility_reports(w, n):
    _times(n, lambda: w.add(AccessibilityReport(email="lettore@example.it", description="Il menu non si apre.")))


def add_staff_todos(w, n):
    for _ in range(n):
        w.application(state=AppState.AWAITING_DECISION)
        w.certificate(expires_in=30)
        w.add(MembershipRequest(company_id=w.new_company(state=MembershipState.REQUESTED).id,
                                contact_name="Referente", contact_email="referente@example.it"))


def add_company_todos(w, n):
    for _ in range(n):
        w.application(w.company, state=AppState.DRAFT)
        w.work_abroad(w.company)


def add_auditor_todos(w, n):
    for _ in range(n):
        w.application()
        w.add(SurveillanceReview(certificate_id=w.certificate().id, auditor_id=w.auditor.id,
                                 opened_by_id=w.staff.id, due_on=date.today() + timedelta(days=10)))


def add_applications(w, n):
    _times(n, w.application)


def add_own_applications(w, n):
    for _ in range(n):
        w.application(w.company)
        w.certificate(w.company)


def add_certificates(w, n):
    _times(n, w.certificate)


def add_own_certificates(w, n):
    _times(n, lambda: w.certificate(w.company))


def add_identity_changes(w, n):
    for _ in range(n):
        company = w.new_company()
        w.add(IdentityChange(company_id=company.id, kind=IdentityChangeKind.COMPANY, requested_by_id=w.company_admin.id,
                             changes={"ragione_sociale": [company.ragione_sociale, "Nuovo nome S.r.l."]}),
              IdentityChange(company_id=company.id, site_id=company.sites[0].id, kind=IdentityChangeKind.SITE,
                             requested_by_id=w.company_admin.id, changes={"name": ["Sede 1", "Sede centrale"]},
                             status=ChangeStatus.APPROVED, decided_by_id=w.staff.id, decided_at=utcnow()))


def add_dashboard_rows(w, n):
    for _ in range(n):
        w.application(auditor=w.make_user(Role.AUDITOR))
        w.certificate(expires_in=30)


def add_editions(w, n):
    _times(n, lambda: w.add(Edition(code=f"Q{next(_serial)}", title="Edizione")))


def add_decrees(w, n):
    for _ in range(n):
        w.add(Decree(number=f"D.D. {next(_serial)}/2025", issued_on=date(2025, 1, 1),
                     rows=[DecreeRow(level=level, effective_from=date(2025, 1, 1), euro_minute=Decimal("0.43"))
                           for level in ("2", "3", "4")]))


def add_rate_checks(w, n, own=False):
    for _ in range(n):
        company = w.company if own else w.new_company()
        w.rate_check(company)
        w.add(RateBatch(company_id=company.id, user_id=w.company_admin.id, client_name="Cliente", status="done"))


def add_uplifts(w, n):
    _times(n, lambda: w.add(UpliftComponent(component="formazione", percent=Decimal(5), created_by_id=w.staff.id,
                                            effective_from=date(2018, 1, 1) + timedelta(days=next(_serial)))))


def batch_rows(w, n):
    batch = w.first(RateBatch, lambda: w.add(RateBatch(company_id=w.company.id, user_id=w.company_admin.id,
                                                       client_name="Cliente", status="done")))
    start = batch.total_rows
    for line in range(start + 1, start + n + 1):
        w.rate_check(w.company, batch, line)
    batch.total_rows = batch.processed_rows = start + n


def add_proposals(w, n):
    _times(n, w.proposal)


def add_public_proposals(w, n):
    _times(n, lambda: w.proposal(public=True))


def add_roundtables(w, n):
    for _ in range(n):
        w.roundtable(-10)
        w.roundtable(10)


def add_actions(w, n):
    for _ in range(n):
        item = w.db.session.scalar(select(AgendaItem).where(AgendaItem.roundtable_id == w.roundtable(-5).id))
        w.add(FollowUpAction(agenda_item_id=item.id, description="Inviare il documento", owner_id=w.organisation().id,
                             due_date=date.today() - timedelta(days=1)))


def add_organisations(w, n):
    _times(n, w.organisation)


def add_work_abroad(w, n):
    _times(n, w.work_abroad)


def add_own_work_abroad(w, n):
    _times(n, lambda: w.work_abroad(w.company))


def add_figures(w, n):
    _times(n, lambda: w.add(SectorFigure(label="Addetti", value=Decimal(1000), year=2000 + next(_serial) % 30,
                                         source="ISTAT", kind="ufficiale")))


def add_briefs(w, n):
    _times(n, lambda: w.add(Brief(title="Dossier", roundtable_id=w.roundtable(-3).id, created_by_id=w.staff.id)))


def add_assignments(w, n):
    application = w.first(Application, lambda: w.application(w.company))
    _times(n, lambda: w.add(Assignment(application_id=application.id, auditor_id=w.make_user(Role.AUDITOR).id,
                                       assigned_by_id=w.staff.id)))


def add_decree_rows(w, n):
    decree = w.first(Decree, lambda: w.add(Decree(number="D.D. 1/2025", issued_on=date(2025, 1, 1))))
    for _ in range(n):
        start = date(2000, 1, 1) + timedelta(days=30 * next(_serial))
        w.add(*(DecreeRow(decree_id=decree.id, level=level, effective_from=start, euro_minute=Decimal("0.43"))
                for level in ("2", "3", "4")))


def add_supports_and_history(w, n):
    proposal = w.first(Proposal, w.proposal)
    for _ in range(n):
        w.add(Support(proposal_id=proposal.id, company_id=w.new_company().id, fte=10, created_by_id=w.company_admin.id),
              ProposalStateChange(proposal_id=proposal.id, from_state_id=proposal.state_id, to_state_id=proposal.state_id,
                                  by_id=w.make_user(Role.STAFF).id, reason="Aggiornata"))


def add_agenda(w, n):
    roundtable = w.first(Roundtable, lambda: w.roundtable(-1))
    for _ in range(n):
        union = w.organisation("sindacato")
        w.add(RoundtableParty(roundtable_id=roundtable.id, organisation_id=union.id))
        item = w.add(AgendaItem(roundtable_id=roundtable.id, proposal_id=w.proposal().id, title="Punto"))
        w.add(FollowUpAction(agenda_item_id=item.id, description="Inviare il documento", owner_id=union.id,
                             due_date=date.today()))


def add_upcoming_roundtables(w, n):
    _times(n, lambda: w.roundtable(20))


def add_states(w, n):
    _times(n, lambda: w.add(ProposalState(code=f"stato-{next(_serial)}", label="Stato", position=1000)))


def first_of(model, argument: str) -> Callable:
    """URL arguments of a detail page: the object its factory adds rows to."""
    return lambda w: {argument: w.db.session.scalar(select(model.id).order_by(model.id))}


@dataclass(frozen=True)
class ListPage:
    endpoint: str
    user: str | None  # a World attribute; None for public pages
    add_rows: Callable
    url_args: Callable = lambda w: {}

    @property
    def id(self) -> str:
        return f"{self.endpoint}-{self.user or 'public'}"


PAGES = [
    # members and core
    ListPage("members.companies", "staff", add_companies),
    ListPage("members.users", "admin", add_users),
    ListPage("members.requests", "staff", add_membership_requests),
    ListPage("members.company", "company_admin", add_own_sites_and_colleagues, lambda w: {"company_id": w.company.id}),
    ListPage("members.company", "staff", add_own_sites_and_colleagues, lambda w: {"company_id": w.company.id}),
    ListPage("core.audit_log", "staff", add_audit_entries),
    ListPage("core.outbox", "staff", add_outbox),
    ListPage("core.accessibility_reports", "staff", add_accessibility_reports),
    ListPage("core.home", "staff", add_staff_todos),
    ListPage("core.home", "company_admin", add_company_todos),
    ListPage("core.home", "auditor", add_auditor_todos),
    # certification
    ListPage("certification.applications", "staff", add_applications),
    ListPage("certification.applications", "company_admin", add_own_applications),
    ListPage("certification.applications", "auditor", add_applications),
    ListPage("certification.certificates", "staff", add_certificates),
    ListPage("certification.certificates", "company_admin", add_own_certificates),
    ListPage("certification.register", None, add_certificates),
    ListPage("certification.register_json", None, add_certificates),
    ListPage("certification.dashboard", "staff", add_dashboard_rows),
    ListPage("certification.identity_changes", "staff", add_identity_changes),
    ListPage("certification.editions", "staff", add_editions),
    ListPage("certification.application", "staff", add_assignments, first_of(Application, "application_id")),
    # tariffs
    ListPage("tariffs.decrees", "staff", add_decrees),
    ListPage("tariffs.history", "staff", add_rate_checks),
    ListPage("tariffs.history", "company_admin", lambda w, n: add_rate_checks(w, n, own=True)),
    ListPage("tariffs.uplift", "staff", add_uplifts),
    ListPage("tariffs.decree_detail", "staff", add_decree_rows, first_of(Decree, "decree_id")),
    ListPage("tariffs.batch_detail", "company_admin", batch_rows, first_of(RateBatch, "batch_id")),
    # reshoring
    ListPage("reshoring.proposals", "staff", add_proposals),
    ListPage("reshoring.proposals", "company_admin", add_proposals),
    ListPage("reshoring.public_proposals", None, add_public_proposals),
    ListPage("reshoring.proposal", "staff", add_supports_and_history, first_of(Proposal, "proposal_id")),
    ListPage("reshoring.states", "staff", add_states),
    ListPage("reshoring.roundtables", "staff", add_roundtables),
    ListPage("reshoring.roundtable", "staff", add_agenda, first_of(Roundtable, "roundtable_id")),
    ListPage("reshoring.roundtables_ics", "staff", add_upcoming_roundtables),
    ListPage("reshoring.actions", "staff", add_actions),
    ListPage("reshoring.organisations", "staff", add_organisations),
    ListPage("reshoring.work_list", "staff", add_work_abroad),
    ListPage("reshoring.work_list", "company_admin", add_own_work_abroad),
    ListPage("reshoring.figures", "staff", add_figures),
    ListPage("reshoring.briefs", "staff", add_briefs),
]


@pytest.fixture
def world(app, db, make_company, make_user) -> World:
    edition = ensure_starting_edition()
    reshoring_services.ensure_workflow()
    db.session.commit()
    company = make_company("Qualità Voce S.r.l.", sites=2)
    return World(db=db, make_company=make_company, make_user=make_user, edition=edition,
                 staff=make_user(Role.STAFF), admin=make_user(Role.ADMIN),
                 company_admin=make_user(Role.COMPANY_ADMIN, company), auditor=make_user(Role.AUDITOR))


def statements_of(client, db, url: str) -> list[str]:
    """The SQL statements one GET runs, starting from an empty identity map as a real request does."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.commit()
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    return statements


COLUMNS = re.compile(r"SELECT .*? FROM")


def grown(before: list[str], after: list[str]) -> list[str]:
    """The statements that ran more often with more rows: where the N+1 is."""
    return sorted(f"{before.count(s)} -> {after.count(s)}: {COLUMNS.sub('SELECT ... FROM', ' '.join(s.split()))}"
                  for s in set(after) if after.count(s) > before.count(s))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_list_page_costs_the_same_queries_at_10_and_100_rows(page, world, app, client, db):
    if page.user:
        sign_in(client, getattr(world, page.user))
    page.add_rows(world, 10)
    with app.test_request_context():
        url = url_for(page.endpoint, **page.url_args(world))
    statements_of(client, db, url)  # the first request also fills per-process caches
    at_10 = statements_of(client, db, url)
    page.add_rows(world, 90)
    at_100 = statements_of(client, db, url)
    assert len(at_100) == len(at_10), "\n".join(grown(at_10, at_100))


# --- no list page is forgotten -------------------------------------------------------------------

RENDERED = re.compile(r"render_template\(\s*\"([^\"]+)\"")


def lists_a_page(view) -> bool:
    source = inspect.getsource(inspect.unwrap(view))
    if "db.paginate(" in source:
        return True
    return any("pagination(" in (TEMPLATES / name).read_text() for name in RENDERED.findall(source))


def test_every_paginated_get_page_is_counted(app):
    counted = {page.endpoint for page in PAGES}
    paginated = {rule.endpoint for rule in app.url_map.iter_rules()
                 if "GET" in rule.methods and rule.endpoint != "static" and lists_a_page(app.view_functions[rule.endpoint])}
    assert paginated - counted == set()
