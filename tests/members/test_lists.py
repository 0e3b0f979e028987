"""Staff and admin lists: filters and pagination."""

import re

import pytest

from portal.access import Role
from portal.members.models import Company, MembershipRequest, MembershipState, RequestStatus
from tests.members.data import company_data, partita_iva
from tests.members.pages import text


@pytest.fixture
def admin(login_as, make_user):
    return login_as(make_user(Role.ADMIN, name="Anna Admin"))


def test_companies_list_filters(db, client, admin, make_company):
    make_company("Calabria Voce S.r.l.").regione = "Calabria"
    make_company("Sospesa Lazio S.r.l.", state=MembershipState.SUSPENDED)
    piva = make_company("Lazio Attiva S.r.l.").partita_iva
    db.session.commit()

    def names(query):
        body = text(client.get("/soci/aziende?" + query))
        return {n for n in ("Calabria Voce", "Sospesa Lazio", "Lazio Attiva") if n in body}

    assert names("") == {"Calabria Voce", "Sospesa Lazio", "Lazio Attiva"}
    assert names("q=lazio") == {"Sospesa Lazio", "Lazio Attiva"}
    assert names(f"q={piva}") == {"Lazio Attiva"}
    assert names("stato=suspended") == {"Sospesa Lazio"}
    assert names("regione=Calabria") == {"Calabria Voce"}
    assert names("regione=Atlantide&stato=nonsense") == {"Calabria Voce", "Sospesa Lazio", "Lazio Attiva"}


def test_companies_list_is_paginated_and_keeps_its_filters(db, client, admin, make_company):
    for n in range(23):
        make_company(f"Azienda {n:02d} S.r.l.", sites=0).regione = "Molise"
    make_company("Azienda lombarda S.r.l.")
    db.session.commit()

    first = text(client.get("/soci/aziende?regione=Molise"))
    second = text(client.get("/soci/aziende?regione=Molise&page=2"))

    assert len(re.findall(r"Azienda \d\d", first)) == 20 and len(re.findall(r"Azienda \d\d", second)) == 3
    assert "Azienda lombarda" not in first + second
    assert "regione=Molise&amp;page=2" in client.get("/soci/aziende?regione=Molise").get_data(as_text=True)


def test_requests_list_by_status(db, client, admin):
    for n, status in enumerate([RequestStatus.PENDING, RequestStatus.APPROVED, RequestStatus.REFUSED]):
        company = Company(**company_data(ragione_sociale=f"Richiedente {status.value}", partita_iva=partita_iva(20 + n),
                                         codice_fiscale=partita_iva(20 + n)))
        db.session.add(MembershipRequest(company=company, contact_name="R", contact_email=f"r{n}@example.it", status=status))
    db.session.commit()

    assert "Richiedente pending" in text(client.get("/soci/richieste"))
    assert "Richiedente approved" not in text(client.get("/soci/richieste"))
    assert "Richiedente refused" in text(client.get("/soci/richieste?stato=refused"))


def test_users_list_filters_and_pagination(client, admin, make_user):
    for n in range(21):
        make_user(Role.AUDITOR, name=f"Valutatore {n:02d}")
    make_user(Role.STAFF, name="Stella Staff", email="stella@example.it")

    assert len(re.findall(r"Valutatore \d\d", text(client.get("/admin/utenti?ruolo=auditor")))) == 20
    assert len(re.findall(r"Valutatore \d\d", text(client.get("/admin/utenti?ruolo=auditor&page=2")))) == 1
    body = text(client.get("/admin/utenti?q=stella"))
    assert "Stella Staff" in body and not re.search(r"Valutatore \d\d", body)
