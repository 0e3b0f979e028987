"""Who may open what: every members and core route x role x own/foreign object, in one table.

A cell reads: 200 or 302 (allowed, and what the page answers), LOGIN (anonymous sent to the
login page), 403 or 404 (refused). "Own" objects belong to the signed-in company user's
company, "foreign" ones to another company. A refused request must leave no trace in the
audit log: nothing happened.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.audit import AuditEntry
from portal.members.models import Company, Invitation, MembershipRequest, MembershipState, Site, User
from portal.members.services import invitation_token, reset_token
from tests.members.data import company_data, join_data, partita_iva, site_data

LOGIN = "login"
ROLES = ["anonymous", Role.APPLICANT, Role.COMPANY_ADMIN, Role.AUDITOR, Role.STAFF, Role.ADMIN]

EVERYONE_200 = (200, 200, 200, 200, 200, 200)
EVERYONE_302 = (302, 302, 302, 302, 302, 302)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
STAFF_PAGE = (LOGIN, 403, 403, 403, 200, 200)
STAFF_POST = (LOGIN, 403, 403, 403, 302, 302)
ADMIN_PAGE = (LOGIN, 403, 403, 403, 403, 200)
ADMIN_POST = (LOGIN, 403, 403, 403, 403, 302)
OWN_EDIT_PAGE = (LOGIN, 403, 200, 403, 200, 200)
OWN_EDIT_POST = (LOGIN, 403, 302, 403, 302, 302)
# another company's objects: the company admin never learns they exist (the applicant is refused by role)
FOREIGN_PAGE = (LOGIN, 403, 404, 403, 200, 200)
FOREIGN_POST = (LOGIN, 403, 404, 403, 302, 302)
EVERYONE_422 = (422, 422, 422, 422, 422, 422)
ANONYMOUS_ONLY = (200, 302, 302, 302, 302, 302)

NEW_COMPANY = company_data(partita_iva=partita_iva(7), codice_fiscale=partita_iva(7))

# (method, path, form data, expected for anonymous, applicant, company_admin, auditor, staff, admin)
MATRIX = [
    # core
    ("GET", "/", None, ANONYMOUS_ONLY),
    ("GET", "/home", None, SIGNED_IN),
    ("GET", "/healthz", None, EVERYONE_200),
    ("POST", "/lingua", {"lang": "en", "next": "/"}, EVERYONE_302),
    ("GET", "/registro-attivita", None, STAFF_PAGE),
    ("GET", "/posta", None, STAFF_PAGE),
    ("POST", "/posta/reinvia", {}, STAFF_POST),
    # membership requests
    ("GET", "/aderisci", None, EVERYONE_200),
    ("POST", "/aderisci", join_data(), EVERYONE_422),  # the Partita IVA of a member: refused beside the field
    ("GET", "/soci/richieste", None, STAFF_PAGE),
    ("GET", "/soci/richieste/{request}", None, STAFF_PAGE),
    ("POST", "/soci/richieste/{request}/approva", {}, STAFF_POST),
    ("POST", "/soci/richieste/{request}/rifiuta", {"reason": "Non è un contact center."}, STAFF_POST),
    # companies
    ("GET", "/soci/aziende", None, STAFF_PAGE),
    ("GET", "/soci/la-mia-azienda", None, (LOGIN, 302, 302, 403, 403, 403)),
    ("GET", "/soci/aziende/{own_company}", None, (LOGIN, 200, 200, 403, 200, 200)),
    ("GET", "/soci/aziende/{foreign_company}", None, (LOGIN, 404, 404, 403, 200, 200)),
    ("GET", "/soci/aziende/{own_company}/modifica", None, OWN_EDIT_PAGE),
    ("POST", "/soci/aziende/{own_company}/modifica", NEW_COMPANY, OWN_EDIT_POST),
    ("GET", "/soci/aziende/{foreign_company}/modifica", None, FOREIGN_PAGE),
    ("POST", "/soci/aziende/{foreign_company}/modifica", NEW_COMPANY, FOREIGN_POST),
    ("POST", "/soci/aziende/{own_company}/stato", {"state": "suspended", "reason": "Quote non versate."}, STAFF_POST),
    # sites
    ("GET", "/soci/aziende/{own_company}/sedi/nuova", None, OWN_EDIT_PAGE),
    ("POST", "/soci/aziende/{own_company}/sedi/nuova", site_data(), OWN_EDIT_POST),
    ("GET", "/soci/aziende/{foreign_company}/sedi/nuova", None, FOREIGN_PAGE),
    ("POST", "/soci/aziende/{foreign_company}/sedi/nuova", site_data(), FOREIGN_POST),
    ("GET", "/soci/sedi/{own_site}/modifica", None, OWN_EDIT_PAGE),
    ("POST", "/soci/sedi/{own_site}/modifica", site_data(), OWN_EDIT_POST),
    ("GET", "/soci/sedi/{foreign_site}/modifica", None, FOREIGN_PAGE),
    ("POST", "/soci/sedi/{foreign_site}/modifica", site_data(), FOREIGN_POST),
    ("POST", "/soci/sedi/{own_site}/elimina", {}, OWN_EDIT_POST),
    ("POST", "/soci/sedi/{foreign_site}/elimina", {}, FOREIGN_POST),
    # colleagues
    ("POST", "/soci/aziende/{own_company}/invita", {"name": "Nuovo Collega", "email": "nuovo@example.it"}, OWN_EDIT_POST),
    ("POST", "/soci/aziende/{foreign_company}/invita", {"name": "Nuovo Collega", "email": "nuovo@example.it"}, FOREIGN_POST),
    ("POST", "/soci/utenti/{colleague}/rimuovi", {}, (LOGIN, 403, 302, 403, 403, 403)),
    ("POST", "/soci/utenti/{foreign_user}/rimuovi", {}, (LOGIN, 403, 404, 403, 403, 403)),
    # account
    ("GET", "/accedi", None, ANONYMOUS_ONLY),
    ("POST", "/accedi", {"email": "nessuno@example.it", "password": "sbagliata"}, ANONYMOUS_ONLY),
    ("POST", "/esci", {}, (LOGIN, 302, 302, 302, 302, 302)),
    ("GET", "/password/dimenticata", None, EVERYONE_200),
    ("POST", "/password/dimenticata", {"email": "nessuno@example.it"}, EVERYONE_302),
    ("GET", "/password/reimposta/{reset_token}", None, EVERYONE_200),
    ("POST", "/password/reimposta/{reset_token}", {"password": "corta", "confirm": "corta"}, EVERYONE_422),
    ("GET", "/invito/{invitation_token}", None, EVERYONE_200),
    ("POST", "/invito/{invitation_token}", {"name": "", "password": "x", "confirm": "y"}, EVERYONE_422),
    ("GET", "/profilo", None, SIGNED_IN),
    ("POST", "/profilo", {"name": "Nome Nuovo", "locale": "it"}, (LOGIN, 302, 302, 302, 302, 302)),
    ("GET", "/profilo/password", None, SIGNED_IN),
    ("POST", "/profilo/password", {"current": "sbagliata", "password": "x" * 12, "confirm": "x" * 12},
     (LOGIN, 422, 422, 422, 422, 422)),
    # portal administration
    ("GET", "/admin/utenti", None, ADMIN_PAGE),
    ("GET", "/admin/utenti/{colleague}", None, ADMIN_PAGE),
    ("POST", "/admin/utenti/{colleague}", {"role": "company_admin", "active": "y"}, ADMIN_POST),
    ("POST", "/admin/invita", {"name": "Nuovo Valutatore", "email": "val@example.it", "role": "auditor"}, ADMIN_POST),
]

# Posts that change something when allowed: each allowed cell gets a fresh world of its own.
MUTATING = {
    "/posta/reinvia", "/aderisci", "/esci", "/profilo", "/admin/invita",
} | {path for method, path, _, _ in MATRIX if method == "POST" and path.startswith(("/soci/", "/admin/utenti/"))}


def _allowed(expected) -> bool:
    return expected in (200, 302)


MUTATING_CASES = [
    pytest.param(method, path, data, role, expected[i], id=f"{method} {path} as {role}")
    for method, path, data, expected in MATRIX
    if method == "POST" and path in MUTATING
    for i, role in enumerate(ROLES)
    if _allowed(expected[i])
]


@pytest.fixture
def world(db):
    """Two member companies with a site and a user each, a pending request, open links."""
    own = Company(**company_data(ragione_sociale="Propria S.r.l."), membership_state=MembershipState.ACTIVE)
    foreign = Company(**company_data(ragione_sociale="Altrui S.r.l.", partita_iva=partita_iva(2), codice_fiscale=partita_iva(2)),
                      membership_state=MembershipState.ACTIVE)
    for company in (own, foreign):
        company.sites.append(Site(**site_data(seats=10, operators=10)))
    colleague = _user(db, Role.APPLICANT, own, "collega@propria.example.it")
    colleague.set_password("password-del-collega")
    foreign_user = _user(db, Role.APPLICANT, foreign, "utente@altrui.example.it")
    requested = Company(**company_data(partita_iva=partita_iva(8), codice_fiscale=partita_iva(8)),
                        membership_state=MembershipState.REQUESTED, requested_on=date.today())
    request = MembershipRequest(company=requested, contact_name="Rita Richiesta", contact_email="rita@richiesta.example.it")
    invitation = Invitation(email="invitato@propria.example.it", role=Role.APPLICANT, company=own)
    db.session.add_all([own, foreign, requested, request, invitation])
    db.session.commit()
    return {
        "own": own,
        "own_company": own.id,
        "foreign_company": foreign.id,
        "own_site": own.sites[0].id,
        "foreign_site": foreign.sites[0].id,
        "colleague": colleague.id,
        "foreign_user": foreign_user.id,
        "request": request.id,
        "reset_token": reset_token(colleague),
        "invitation_token": invitation_token(invitation),
    }


def _user(db, role, company=None, email=None) -> User:
    user = User(email=email or f"{role}@matrice.example.it", name=f"Utente {role}", role=role, company=company)
    db.session.add(user)
    return user


def _sign_in(db, login_as, world, role) -> None:
    if role != "anonymous":
        user = _user(db, role, world["own"] if role in (Role.APPLICANT, Role.COMPANY_ADMIN) else None)
        db.session.commit()
        login_as(user)


def _audit_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def _check(db, client, world, method, path, data, expected) -> str | None:
    """None when the answer is the expected one, else what went wrong."""
    before = _audit_count(db)
    response = client.open(path.format(**world), method=method, data=data)
    status, location = response.status_code, response.location or ""
    if expected == LOGIN:
        ok = status == 302 and location.startswith("/accedi?next=")
    else:
        ok = status == expected and not location.startswith("/accedi?next=")
    if ok and expected in (LOGIN, 403, 404) and _audit_count(db) != before:
        return f"{method} {path}: refused with {status}, yet something changed"
    return None if ok else f"{method} {path}: expected {expected}, got {status} {location}"


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_access_matrix(db, client, login_as, world, role):
    """Pages and refused posts, all in one world per role (none of them changes anything)."""
    _sign_in(db, login_as, world, role)
    i = ROLES.index(role)
    wrong = [
        _check(db, client, world, method, path, data, expected[i])
        for method, path, data, expected in MATRIX
        if not (method == "POST" and path in MUTATING and _allowed(expected[i]))
    ]
    assert [w for w in wrong if w] == []


@pytest.mark.parametrize(("method", "path", "data", "role", "expected"), MUTATING_CASES)
def test_allowed_changes(db, client, login_as, world, method, path, data, role, expected):
    _sign_in(db, login_as, world, role)
    assert _check(db, client, world, method, path, data, expected) is None


def test_matrix_covers_every_members_and_core_route(app):
    """A new route of these modules must get its row in the table."""
    covered = set()
    adapter = app.url_map.bind("localhost")
    world_ids = {key: 1 for key in ("own_company", "foreign_company", "own_site", "foreign_site", "colleague",
                                    "foreign_user", "request")} | {"reset_token": "t", "invitation_token": "t"}
    for method, path, _, _ in MATRIX:
        endpoint, _ = adapter.match(path.format(**world_ids), method=method)
        covered.add((endpoint, method))
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("core", "members")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


def test_foreign_company_page_does_not_leak_its_data(client, login_as, make_company, make_user):
    own, foreign = make_company("Propria S.r.l."), make_company("Segreta S.r.l.")
    login_as(make_user(Role.COMPANY_ADMIN, own))

    for url in (f"/soci/aziende/{foreign.id}", f"/soci/aziende/{foreign.id}/modifica",
                f"/soci/sedi/{foreign.sites[0].id}/modifica"):
        body = client.get(url).get_data(as_text=True)
        assert "Segreta" not in body and foreign.partita_iva not in body


def test_refused_foreign_changes_leave_the_data_as_it_was(db, client, login_as, make_company, make_user):
    own, foreign = make_company(), make_company(sites=1)
    victim = make_user(Role.APPLICANT, foreign)
    login_as(make_user(Role.COMPANY_ADMIN, own))
    site_id = foreign.sites[0].id

    client.post(f"/soci/sedi/{site_id}/elimina")
    client.post(f"/soci/sedi/{site_id}/modifica", data=site_data(name="Rubata"))
    client.post(f"/soci/aziende/{foreign.id}/modifica", data=NEW_COMPANY)
    client.post(f"/soci/utenti/{victim.id}/rimuovi")

    db.session.expire_all()
    assert foreign.sites[0].name == "Sede 1"
    assert foreign.ragione_sociale != NEW_COMPANY["ragione_sociale"]
    assert victim.active and victim.company_id == foreign.id


def test_inactive_user_session_is_signed_out(client, login_as, make_company, make_user, db):
    user = login_as(make_user(Role.COMPANY_ADMIN, make_company()))
    user.active = False
    db.session.commit()

    response = client.get("/home")

    assert response.status_code == 302 and response.location.startswith("/accedi")
