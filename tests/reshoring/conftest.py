"""Reshoring fixtures: the default workflow, proposals in a given state, work abroad records."""

from datetime import date, timedelta

import pytest

from portal.access import Role
from portal.database import utcnow
from portal.reshoring import services
from portal.reshoring.models import Proposal, ProposalStateChange, Roundtable, WorkAbroad


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
