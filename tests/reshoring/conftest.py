"""Reshoring fixtures: the default workflow, proposals in a given state, work abroad records, a brief on them."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from portal.access import Role
from portal.database import utcnow
from portal.reshoring import services
from portal.reshoring.models import (
    AgendaItem,
    Brief,
    Proposal,
    ProposalStateChange,
    Roundtable,
    SectorFigure,
    Support,
    WorkAbroad,
)


@pytest.fixture(autouse=True)
def request_context(app):
    """Services translate their messages, and the locale is read from the request."""
    with app.test_request_context():
        yield


@pytest.fixture
def workflow(db):
    services.ensure_workflow()
    return {s.code: s for s in services.states()}


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF, email="staff@example.it", name="Sara Staff")


@pytest.fixture
def make_proposal(db, workflow, staff):
    def make(state: str = "presentata", company=None, public: bool = False, title: str = "Credito d'imposta per FTE riportati", **values) -> Proposal:
        proposal = Proposal(title=title, summary="Sintesi", measure="Misura", addressees=["mimit"], state=workflow[state],
                            author_id=staff.id, company_id=company.id if company else None, public=public,
                            fte_reshored=values.pop("fte_reshored", 300), from_countries=["AL"], to_regions=["Calabria"], **values)
        db.session.add(proposal)
        db.session.flush()
        db.session.add(ProposalStateChange(proposal=proposal, to_state_id=workflow[state].id, by_id=staff.id, reason="creata"))
        db.session.commit()
        return proposal

    return make


@pytest.fixture
def make_work(db):
    def make(company, start: date | None = None, notices_days_before: int | None = 45, **values) -> WorkAbroad:
        start = start or date.today() - timedelta(days=100)
        notice = start - timedelta(days=notices_days_before) if notices_days_before is not None else None
        work = WorkAbroad(company_id=company.id, country=values.pop("country", "AL"), place=values.pop("place", "Tirana"),
                          client_sector="telecom", fte=values.pop("fte", 50), start_date=start,
                          notice_lavoro=notice, notice_inl=notice, notice_mimit=notice, notice_garante=notice, **values)
        db.session.add(work)
        db.session.commit()
        return work

    return make


@pytest.fixture
def make_roundtable(db, staff):
    def make(days_from_now: int = -7, title: str = "Tavolo MIMIT sul reshoring", **values) -> Roundtable:
        roundtable = Roundtable(title=title, starts_at=utcnow() + timedelta(days=days_from_now), place="Roma, via Veneto 33",
                                convening_body="MIMIT", created_by_id=staff.id, **values)
        db.session.add(roundtable)
        db.session.commit()
        return roundtable

    return make


@pytest.fixture
def brief(db, make_company, make_proposal, make_roundtable, make_work):
    named, hidden_a, hidden_b = (make_company(name=n) for n in ("Voce Chiara S.p.A.", "Riservata Uno S.r.l.", "Riservata Due S.r.l."))
    proposal = make_proposal("in_discussione", fte_reshored=1500, state_cost=27_000_000)
    db.session.add_all([
        Support(proposal_id=proposal.id, company_id=named.id, fte=120, region_fte={"Calabria": 120}, from_countries=["AL"],
                conditions="Se il credito dura tre anni", named=True),
        Support(proposal_id=proposal.id, company_id=hidden_a.id, fte=40, region_fte={"Puglia": 40}, conditions="Condizione riservata"),
        Support(proposal_id=proposal.id, company_id=hidden_b.id, fte=35, region_fte={"Sicilia": 35}),
    ])
    roundtable = make_roundtable(days_from_now=7, title="Tavolo di settore MIMIT")
    db.session.add(AgendaItem(roundtable=roundtable, proposal=proposal, position=1))
    for company in (named, hidden_a, hidden_b):
        make_work(company, fte=Decimal("75.5"), yearly_contacts=800_000)
    db.session.add_all([
        SectorFigure(label="Addetti dei contact center in Italia", value=80000, unit="addetti", year=2024, key="addetti_settore",
                     source="Stime di settore riportate dalla stampa", kind="riportato"),
        SectorFigure(label="Numero Unico del Lavoro: contatti", value=68673, unit="contatti", year=2018,
                     source="ANPAL e Formez PA", kind="ufficiale"),
    ])
    brief = Brief(title="Dossier per il tavolo MIMIT", roundtable=roundtable, addressees="Ministero delle Imprese\nGabinetto del Ministro",
                  contact_name="Sara Staff", contact_email="staff@example.it", position="Assocontact chiede **misure stabili** per il reshoring.")
    db.session.add(brief)
    db.session.commit()
    return brief


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
