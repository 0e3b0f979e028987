"""Permission matrix: each route of the module x role x own/foreign object."""

import pytest

from portal.access import Role
from portal.reshoring.models import Brief, SectorFigure, WorkAbroad

OWN, OTHER = "own", "other"
ANON, APPLICANT, ADMIN, FOREIGN_APPLICANT, FOREIGN_ADMIN, AUDITOR, STAFF = (
    "anon", "applicant", "company_admin", "foreign_applicant", "foreign_admin", "auditor", "staff")


@pytest.fixture
def world(db, make_company, make_proposal, make_work, make_roundtable, staff):
    own, other = make_company(), make_company()
    roundtable = make_roundtable()
    brief = Brief(title="Dossier", roundtable_id=roundtable.id, position="")
    figure = SectorFigure(label="Addetti", value=80000, unit="addetti", year=2024, source="Stime", kind="riportato")
    db.session.add_all([brief, figure])
    db.session.commit()
    return {
        "own": own, "other": other,
        "work": make_work(own).id,
        "draft": make_proposal("bozza", company=own, title="Bozza dell'azienda").id,
        "presented": make_proposal("presentata", public=False).id,
        "public": make_proposal("in_discussione", public=True, title="Proposta pubblica").id,
        "roundtable": roundtable.id, "brief": brief.id, "figure": figure.id,
    }


@pytest.fixture
def login_as(auth, make_user, world, staff):
    def login(who: str) -> None:
        if who == ANON:
            return
        if who == STAFF:
            auth.login(staff.email)
            return
        role = {APPLICANT: Role.APPLICANT, ADMIN: Role.COMPANY_ADMIN, FOREIGN_APPLICANT: Role.APPLICANT,
                FOREIGN_ADMIN: Role.COMPANY_ADMIN, AUDITOR: Role.AUDITOR}[who]
        company = world["other"] if who.startswith("foreign") else world["own"] if role != Role.AUDITOR else None
        user = make_user(role, company=company)
        auth.login(user.email)

    return login


STAFF_PAGES = ["/reshoring/tavoli/nuovo", "/reshoring/azioni", "/reshoring/dossier",
               "/reshoring/dossier/{brief}", "/reshoring/dossier/{brief}/modifica", "/reshoring/dossier/{brief}/allegato.xlsx",
               "/reshoring/dati-settore", "/reshoring/dati-settore/{figure}", "/reshoring/stati", "/reshoring/stati/nuovo"]

MATRIX = [
    # work abroad: the company's own records only
    ("/reshoring/estero", {ANON: 302, APPLICANT: 200, ADMIN: 200, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/estero/nuova", {ANON: 302, APPLICANT: 200, ADMIN: 200, AUDITOR: 403, STAFF: 403}),
    ("/reshoring/estero/{work}", {ANON: 302, APPLICANT: 200, ADMIN: 200, FOREIGN_APPLICANT: 404, FOREIGN_ADMIN: 404, AUDITOR: 403, STAFF: 200}),
    # proposals: drafts stay within the company and staff
    ("/reshoring/proposte", {ANON: 302, APPLICANT: 200, FOREIGN_ADMIN: 200, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/proposte/nuova", {ANON: 302, APPLICANT: 403, ADMIN: 200, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/proposte/{draft}", {ANON: 302, APPLICANT: 200, ADMIN: 200, FOREIGN_APPLICANT: 404, FOREIGN_ADMIN: 404, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/proposte/{presented}", {APPLICANT: 200, FOREIGN_ADMIN: 200, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/proposte/{draft}/modifica", {APPLICANT: 403, ADMIN: 200, FOREIGN_ADMIN: 404, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/proposte/{presented}/modifica", {ADMIN: 403, FOREIGN_ADMIN: 403, STAFF: 200}),
    ("/reshoring/proposte/{presented}/adesione", {ANON: 302, APPLICANT: 403, ADMIN: 200, FOREIGN_ADMIN: 200, STAFF: 403}),
    ("/reshoring/proposte/{draft}/adesione", {ADMIN: 403, FOREIGN_ADMIN: 404}),
    # the public page: no login, public proposals only
    ("/reshoring/proposte-pubbliche", {ANON: 200, AUDITOR: 200, STAFF: 200}),
    ("/reshoring/proposte-pubbliche/{public}", {ANON: 200, APPLICANT: 200}),
    ("/reshoring/proposte-pubbliche/{presented}", {ANON: 404, STAFF: 404}),
    ("/reshoring/proposte-pubbliche/{draft}", {ANON: 404, ADMIN: 404}),
    # roundtables: a company sees only the sessions it is a party to (none here)
    ("/reshoring/tavoli", {ANON: 302, APPLICANT: 200, ADMIN: 200, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/tavoli/calendario.ics", {ANON: 302, APPLICANT: 200, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/tavoli/{roundtable}", {ANON: 302, APPLICANT: 404, ADMIN: 404, AUDITOR: 403, STAFF: 200}),
    ("/reshoring/tavoli/{roundtable}/calendario.ics", {APPLICANT: 404, FOREIGN_ADMIN: 404, AUDITOR: 403, STAFF: 200}),
] + [(path, {ANON: 302, APPLICANT: 403, ADMIN: 403, AUDITOR: 403, STAFF: 200}) for path in STAFF_PAGES]

ROLES = [ANON, APPLICANT, ADMIN, FOREIGN_APPLICANT, FOREIGN_ADMIN, AUDITOR, STAFF]

POSTS = [
    ("/reshoring/proposte/{presented}/stato", {"state_id": "0"}, {ADMIN: 403, APPLICANT: 403, AUDITOR: 403}),
    ("/reshoring/proposte/{presented}/pubblica", {"public": "1"}, {ADMIN: 403, FOREIGN_ADMIN: 403}),
    ("/reshoring/proposte/{presented}/adesione", {"fte": "10"}, {APPLICANT: 403, STAFF: 403}),
    ("/reshoring/estero/{work}/elimina", {}, {FOREIGN_ADMIN: 404, FOREIGN_APPLICANT: 404, AUDITOR: 403}),
    ("/reshoring/tavoli/{roundtable}/verbale", {"minutes": "x"}, {ADMIN: 403, APPLICANT: 403, ANON: 302}),
    ("/reshoring/dati-settore/{figure}/elimina", {}, {ADMIN: 403, AUDITOR: 403}),
]


@pytest.mark.parametrize("who", ROLES)
def test_access_matrix(client, world, login_as, who):
    """One login per role, then every route with an expectation for that role (one hash per test keeps it fast)."""
    login_as(who)
    wrong = []
    for path, expected in MATRIX:
        if who in expected:
            status = client.get(path.format(**world)).status_code
            if status != expected[who]:
                wrong.append(f"GET {path}: {status}, expected {expected[who]}")
    for path, data, expected in POSTS:
        if who in expected:
            status = client.post(path.format(**world), data=data).status_code
            if status != expected[who]:
                wrong.append(f"POST {path}: {status}, expected {expected[who]}")
    assert wrong == []


def test_foreign_company_cannot_delete_or_see_work(client, world, login_as, db):
    login_as(FOREIGN_ADMIN)
    client.post(f"/reshoring/estero/{world['work']}/elimina")
    assert db.session.get(WorkAbroad, world["work"]) is not None
    assert "Tirana" not in client.get("/reshoring/estero").get_data(as_text=True)


def test_company_list_hides_other_companies_drafts(client, world, login_as):
    login_as(FOREIGN_ADMIN)
    page = client.get("/reshoring/proposte").get_data(as_text=True)
    assert "Bozza dell&#39;azienda" not in page and "Proposta pubblica" in page
