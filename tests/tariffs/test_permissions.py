"""Who may open each tariffs page: route x role, with own and foreign objects."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.access import Role
from portal.tariffs import services
from portal.tariffs.models import PendingImport
from portal.tariffs.rates import Unit
from tests.sessions import sign_in
from tests.tariffs.files import csv_bytes

ANON, APPLICANT, COMPANY_ADMIN, AUDITOR, STAFF, ADMIN = "anon", Role.APPLICANT, Role.COMPANY_ADMIN, Role.AUDITOR, Role.STAFF, Role.ADMIN
EVERYONE = (ANON, APPLICANT, COMPANY_ADMIN, AUDITOR, STAFF, ADMIN)
LOGIN = 302


@pytest.fixture
def world(db, tables, make_company, make_user):
    """Two companies, one saved check of the first, and a pending import."""
    own, foreign = make_company(), make_company()
    owner = make_user(Role.APPLICANT, company=own)
    check = services.save_check(services.RateInput("3", Decimal("0.5"), Unit.MINUTO, date(2019, 1, 1)), "", None, owner)
    pending = services.preview_import(csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,35"),
                                      services.DecreeInfo("D.D. 1/2026", official=False), make_user(Role.STAFF))
    official, _ = tables
    return {"own": own, "foreign": foreign, "check": check.id, "pending": pending.id, "decree": official.id}


def login_as(auth, make_user, world, role, company_key="own"):
    if role == ANON:
        return
    company = world[company_key] if role in (APPLICANT, COMPANY_ADMIN) else None
    sign_in(auth._client, make_user(role, company=company))  # (an admin's login form asks for a second factor)


STAFF_PAGES = [
    "/tariffe/tabelle", "/tariffe/tabelle/{decree}", "/tariffe/tabelle/{decree}/grafico.svg", "/tariffe/tabelle/confronto",
    "/tariffe/tabelle/importa", "/tariffe/tabelle/importazioni/{pending}", "/tariffe/maggiorazione", "/tariffe/statistiche",
    "/tariffe/statistiche/livello.svg", "/tariffe/statistiche/esporta.csv", "/tariffe/statistiche/esporta.xlsx",
]
STAFF_EXPECTED = {ANON: LOGIN, APPLICANT: 403, COMPANY_ADMIN: 403, AUDITOR: 403, STAFF: 200, ADMIN: 200}
CHECKER_PAGES = ["/tariffe/verifiche", "/tariffe/verifiche/massiva"]
CHECKER_EXPECTED = {ANON: LOGIN, APPLICANT: 200, COMPANY_ADMIN: 200, AUDITOR: 403, STAFF: 200, ADMIN: 200}


@pytest.mark.parametrize("role", EVERYONE)
def test_public_calculator_is_open_to_everyone(client, auth, make_user, world, role):
    login_as(auth, make_user, world, role)
    assert client.get("/tariffe/verifica?livello=3&tariffa=0,5&unita=minuto&data=2019-01-01").status_code == 200


@pytest.mark.parametrize("role", EVERYONE)
def test_staff_pages(client, auth, make_user, world, role):
    login_as(auth, make_user, world, role)
    for path in STAFF_PAGES:
        assert client.get(path.format(**world)).status_code == STAFF_EXPECTED[role], (path, role)


@pytest.mark.parametrize("role", EVERYONE)
def test_staff_actions(client, auth, db, make_user, world, role):
    login_as(auth, make_user, world, role)
    expected = {STAFF: 302, ADMIN: 302}.get(role, STAFF_EXPECTED[role])
    assert client.post(f"/tariffe/tabelle/importazioni/{world['pending']}/annulla").status_code == expected
    assert client.post("/tariffe/maggiorazione", data={}).status_code == {STAFF: 422, ADMIN: 422}.get(role, expected)
    discarded = db.session.scalar(select(PendingImport.status).where(PendingImport.id == world["pending"])) == "discarded"
    assert discarded == (role in (STAFF, ADMIN))


@pytest.mark.parametrize("role", EVERYONE)
def test_checker_pages(client, auth, make_user, world, role):
    login_as(auth, make_user, world, role)
    for path in CHECKER_PAGES:
        assert client.get(path).status_code == CHECKER_EXPECTED[role], (path, role)


@pytest.mark.parametrize("role, company_key, expected", [
    (ANON, None, LOGIN), (APPLICANT, "own", 200), (COMPANY_ADMIN, "own", 200), (APPLICANT, "foreign", 404),
    (COMPANY_ADMIN, "foreign", 404), (AUDITOR, None, 403), (STAFF, None, 200), (ADMIN, None, 200),
])
def test_saved_check_own_and_foreign(client, auth, make_user, world, role, company_key, expected):
    login_as(auth, make_user, world, role, company_key or "own")
    assert client.get(f"/tariffe/verifiche/{world['check']}").status_code == expected


def test_missing_objects_answer_404(client, auth, make_user, world):
    login_as(auth, make_user, world, STAFF)
    for path in ("/tariffe/tabelle/9999", "/tariffe/verifiche/9999", "/tariffe/verifiche/massiva/9999",
                 "/tariffe/tabelle/importazioni/9999", "/tariffe/statistiche/colore.svg", "/tariffe/statistiche/esporta.doc"):
        assert client.get(path).status_code == 404, path


def test_company_history_lists_only_its_own_checks(client, auth, make_user, world):
    link = f'href="/tariffe/verifiche/{world["check"]}"'
    login_as(auth, make_user, world, APPLICANT, "own")
    assert link in client.get("/tariffe/verifiche").get_data(as_text=True)
    auth.logout()
    login_as(auth, make_user, world, APPLICANT, "foreign")
    assert link not in client.get("/tariffe/verifiche").get_data(as_text=True)
