"""Bad input on every members form: an Italian message beside the field, never a 500, what the
user typed still in the form, and nothing already saved changed."""

import pytest
from sqlalchemy import func, inspect, select

from portal.access import Role
from portal.members.models import Company, Invitation, MembershipRequest, MembershipState, Site, User
from portal.members.services import invitation_token, reset_token
from tests.conftest import PASSWORD
from tests.members.data import company_data, join_data, site_data
from tests.members.pages import field_error, field_value, selected_value, text

REQUIRED = "Campo obbligatorio."
BAD_EMAIL = "Indirizzo e-mail non valido."
NOT_A_CHOICE = "Non è una opzione valida"
HEADCOUNT = "Indica un numero intero tra 0 e 100.000."


def snapshot(obj) -> dict:
    """Every column of a saved row, read again from the database."""
    session = inspect(obj).session
    session.expire_all()
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def assert_refused(response, field: str, message: str, kept: tuple[str, str] | None = None) -> None:
    assert response.status_code == 422, response.status_code
    error = field_error(response, field)
    assert error is not None, f"no message beside {field}"
    assert message in error, error
    assert "Traceback" not in text(response)
    if kept:
        assert field_value(response, kept[0]) == kept[1], "what the user typed was lost"


def spoil(data: dict, field: str, value) -> dict:
    data = dict(data)
    if value is None:
        data.pop(field)
    else:
        data[field] = value
    return data


# --- the public request ----------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "message"), [
    ("ragione_sociale", "", REQUIRED),
    ("partita_iva", "12345678903", "Partita IVA non valida"),
    ("partita_iva", "", REQUIRED),
    ("codice_fiscale", "ABC123", "Codice fiscale non valido."),
    ("pec", "non-una-pec", BAD_EMAIL),
    ("cap", "123", "Il CAP ha 5 cifre."),
    ("provincia", "Roma", "Indica la sigla di due lettere"),
    ("regione", "Atlantide", NOT_A_CHOICE),
    ("contact_name", "", REQUIRED),
    ("contact_email", "lucia-at-lucani", BAD_EMAIL),
    ("message", "x" * 2001, "Il valore non può essere più lungo di 2000 caratteri."),
    ("privacy", None, "Serve il consenso per inviare la richiesta."),
])
def test_join_form(db, client, smtp, field, value, message):
    kept = ("comune", "Potenza") if field != "comune" else None

    response = client.post("/aderisci", data=spoil(join_data(), field, value))

    assert_refused(response, field, message, kept)
    assert count(db, Company) == count(db, MembershipRequest) == 0
    assert smtp.messages == []


def test_join_form_keeps_what_was_typed_in_every_field(client):
    data = join_data(partita_iva="12345678903")

    response = client.post("/aderisci", data=data)

    for field in ("ragione_sociale", "codice_fiscale", "pec", "indirizzo", "cap", "comune", "contact_name", "contact_email"):
        assert field_value(response, field) == data[field], field
    assert selected_value(response, "regione") == data["regione"]


# --- company data --------------------------------------------------------------------------

@pytest.fixture
def company_admin(client, login_as, make_company, make_user):
    return login_as(make_user(Role.COMPANY_ADMIN, make_company(sites=1)))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("ragione_sociale", "", REQUIRED),
    ("partita_iva", "00000000000", "Partita IVA non valida"),
    ("pec", "x@", BAD_EMAIL),
    ("cap", "abcde", "Il CAP ha 5 cifre."),
    ("provincia", "", REQUIRED),
    ("regione", "", REQUIRED),
])
def test_company_form(db, client, company_admin, field, value, message):
    company = company_admin.company
    before = snapshot(company)

    response = client.post(f"/soci/aziende/{company.id}/modifica", data=spoil(company_data(), field, value))

    assert_refused(response, field, message, ("indirizzo", "Via Pretoria 5"))
    assert snapshot(company) == before


def test_company_form_refuses_the_partita_iva_of_another_company(db, client, company_admin, make_company):
    other = make_company()
    company = company_admin.company
    before = snapshot(company)

    response = client.post(f"/soci/aziende/{company.id}/modifica",
                           data=company_data(partita_iva=other.partita_iva))

    assert_refused(response, "partita_iva", "Esiste già un'azienda con questa Partita IVA.", ("comune", "Potenza"))
    assert snapshot(company) == before


# --- sites -------------------------------------------------------------------------------

SITE_CASES = [
    ("regione", {"country": "IT", "regione": ""}, "Per una sede in Italia indica la regione."),
    ("regione", {"country": "AL", "regione": "Puglia"}, "Una sede all'estero non ha una regione italiana."),
    ("country", {"country": "XX"}, NOT_A_CHOICE),
    ("name", {"name": ""}, REQUIRED),
    ("seats", {"seats": "tante"}, HEADCOUNT),
    ("seats", {"seats": ""}, REQUIRED),
    ("operators", {"operators": "-5"}, HEADCOUNT),
    ("operators", {"operators": "100001"}, HEADCOUNT),
    ("channels", {"channels": ["phone", "fax"]}, "Scegli i canali dall'elenco."),
]


@pytest.mark.parametrize(("field", "changes", "message"), SITE_CASES)
def test_new_site_form(db, client, company_admin, field, changes, message):
    company_id = company_admin.company_id

    response = client.post(f"/soci/aziende/{company_id}/sedi/nuova", data=site_data(**changes))

    assert_refused(response, field, message, ("indirizzo", "Via Ridola 3"))
    assert count(db, Site) == 1


@pytest.mark.parametrize(("field", "changes", "message"), SITE_CASES)
def test_edit_site_form(db, client, company_admin, field, changes, message):
    site = company_admin.company.sites[0]
    before = snapshot(site)

    response = client.post(f"/soci/sedi/{site.id}/modifica", data=site_data(**changes))

    assert_refused(response, field, message, ("comune", "Matera"))
    assert snapshot(site) == before


@pytest.mark.parametrize(("country", "regione", "expected_region"), [("IT", "Basilicata", "Basilicata"), ("AL", "", None)])
def test_site_in_italy_has_a_region_and_abroad_none(db, client, company_admin, country, regione, expected_region):
    response = client.post(f"/soci/aziende/{company_admin.company_id}/sedi/nuova",
                           data=site_data(country=country, regione=regione))

    assert response.status_code == 302
    site = db.session.scalars(select(Site).order_by(Site.id.desc())).first()
    assert (site.country, site.regione, site.seats, site.channels) == (country, expected_region, 80, ["phone", "chat"])


# --- invitations ---------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "", REQUIRED),
    ("email", "", REQUIRED),
    ("email", "collega@", BAD_EMAIL),
])
def test_invite_form(db, client, company_admin, smtp, field, value, message):
    data = spoil({"name": "Carla Collega", "email": "carla@example.it"}, field, value)

    response = client.post(f"/soci/aziende/{company_admin.company_id}/invita", data=data)

    assert_refused(response, field, message)
    assert count(db, Invitation) == 0 and smtp.messages == []


def test_a_company_whose_membership_is_not_active_cannot_invite(db, client, login_as, make_company, make_user, smtp):
    admin = login_as(make_user(Role.COMPANY_ADMIN, make_company(state=MembershipState.SUSPENDED)))

    response = client.post(f"/soci/aziende/{admin.company_id}/invita", data={"name": "Carla", "email": "carla@example.it"})

    assert_refused(response, "email", "l'adesione non è attiva", ("name", "Carla"))
    assert count(db, Invitation) == 0 and smtp.messages == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("role", "superuser", NOT_A_CHOICE),
    ("role", "applicant", NOT_A_CHOICE),  # company users are invited by their company
    ("email", "vera.example.it", BAD_EMAIL),
    ("name", "", REQUIRED),
])
def test_staff_invite_form(db, client, login_as, make_user, smtp, field, value, message):
    login_as(make_user(Role.ADMIN))
    data = spoil({"name": "Vera Valutatrice", "email": "vera@example.it", "role": "auditor"}, field, value)

    response = client.post("/admin/invita", data=data)

    assert_refused(response, field, message)
    assert count(db, Invitation) == 0 and smtp.messages == []


# --- staff decisions -------------------------------------------------------------------------

@pytest.fixture
def staff(login_as, make_user):
    return login_as(make_user(Role.STAFF))


@pytest.mark.parametrize(("reason", "message"), [("", REQUIRED), ("no", "tra 5 e 2000 caratteri")])
def test_refuse_form(db, client, staff, smtp, reason, message):
    company = Company(**company_data(), membership_state=MembershipState.REQUESTED)
    membership_request = MembershipRequest(company=company, contact_name="Lucia", contact_email="lucia@example.it")
    db.session.add(membership_request)
    db.session.commit()
    before = snapshot(membership_request)

    response = client.post(f"/soci/richieste/{membership_request.id}/rifiuta", data={"reason": reason})

    assert_refused(response, "reason", message)
    assert snapshot(membership_request) == before and smtp.messages == []


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"state": "suspended", "reason": ""}, "reason", REQUIRED),
    ({"state": "expelled", "reason": "Delibera del consiglio."}, "state", NOT_A_CHOICE),
    ({"state": "active", "reason": "Delibera del consiglio."}, "state", "Cambio di stato non consentito"),
])
def test_membership_state_form(db, client, staff, make_company, data, field, message):
    company = make_company()
    before = snapshot(company)

    response = client.post(f"/soci/aziende/{company.id}/stato", data=data)

    assert_refused(response, field, message)
    if data["reason"]:
        assert data["reason"] in text(response)  # the reason typed is still in the form
    assert snapshot(company) == before


# --- passwords, profile, login, roles ---------------------------------------------------------

PASSWORD_CASES = [
    ({"password": "una-password-lunga", "confirm": "un-altra-password"}, "confirm", "Le due password non coincidono."),
    ({"password": "corta", "confirm": "corta"}, "password", "La password deve avere almeno 12 caratteri."),
    ({"password": "", "confirm": ""}, "password", REQUIRED),
]


@pytest.mark.parametrize(("data", "field", "message"), PASSWORD_CASES)
def test_reset_password_form(db, client, make_user, data, field, message):
    user = make_user(Role.STAFF)
    token = reset_token(user)

    response = client.post(f"/password/reimposta/{token}", data=data)

    assert_refused(response, field, message)
    db.session.expire_all()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(("data", "field", "message"), [
    *PASSWORD_CASES, ({"name": "", "password": "una-password-lunga", "confirm": "una-password-lunga"}, "name", REQUIRED),
])
def test_accept_invitation_form(db, client, make_company, data, field, message):
    invitation = Invitation(email="carla@example.it", name="Carla Collega", role=Role.APPLICANT, company=make_company())
    db.session.add(invitation)
    db.session.commit()

    response = client.post(f"/invito/{invitation_token(invitation)}",
                           data={"name": "Carla Collega"} | data)

    assert_refused(response, field, message)
    if field != "name":
        assert field_value(response, "name") == "Carla Collega"
    assert count(db, User) == 0
    db.session.expire_all()
    assert invitation.is_open


@pytest.mark.parametrize(("data", "field", "message"), PASSWORD_CASES)
def test_change_password_form(db, client, login_as, make_user, data, field, message):
    user = login_as(make_user(Role.STAFF))

    response = client.post("/profilo/password", data={"current": PASSWORD} | data)

    assert_refused(response, field, message)
    db.session.expire_all()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "", "locale": "en"}, "name", REQUIRED),
    ({"name": "Nome Nuovo", "locale": "fr"}, "locale", NOT_A_CHOICE),
])
def test_profile_form(db, client, login_as, make_user, data, field, message):
    user = login_as(make_user(Role.STAFF, name="Nome Vecchio"))
    before = snapshot(user)

    response = client.post("/profilo", data=data)

    assert_refused(response, field, message)
    assert snapshot(user) == before


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "", "password": "x"}, "email", REQUIRED),
    ({"email": "non-una-email", "password": "x"}, "email", BAD_EMAIL),
    ({"email": "a@example.it", "password": ""}, "password", REQUIRED),
])
def test_login_form(client, data, field, message):
    assert_refused(client.post("/accedi", data=data), field, message)


def test_forgot_password_form(client, smtp):
    assert_refused(client.post("/password/dimenticata", data={"email": "x"}), "email", BAD_EMAIL)
    assert smtp.messages == []


def test_user_admin_form(db, client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    user = make_user(Role.AUDITOR)
    before = snapshot(user)

    response = client.post(f"/admin/utenti/{user.id}", data={"role": "root", "active": "y"})

    assert_refused(response, "role", NOT_A_CHOICE)
    assert snapshot(user) == before
