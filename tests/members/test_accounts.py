"""Accounts: login, lockout, rate limit, reset and invitation links, password, profile, roles."""

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal.access import Role
from portal.audit import AuditEntry
from portal.database import utcnow
from portal.members import services as members
from portal.members.models import Invitation, User
from portal.tokens import SecureToken
from tests.conftest import PASSWORD
from tests.members.pages import field_error, link_in, text
from tests.sessions import sign_in

NEW_PASSWORD = "nuova-password-sicura"
BAD_LOGIN = "E-mail o password non corrette"


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- login and logout --------------------------------------------------------------------

def test_login_and_logout(db, client, auth, make_user, make_company):
    user = make_user(Role.COMPANY_ADMIN, make_company())

    response = auth.login(user.email)

    assert response.status_code == 302 and response.location == "/home"
    assert client.get("/home").status_code == 200
    db.session.expire_all()
    assert user.last_login_at is not None
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/home").location.startswith("/accedi?next=")


def test_login_is_case_insensitive_on_the_email(client, auth, make_user):
    make_user(Role.STAFF, email="stefano@example.it")

    assert auth.login("  Stefano@Example.IT ").location == "/home"


def test_unknown_email_and_wrong_password_get_the_same_answer(client, auth, make_user):
    user = make_user(Role.STAFF)

    unknown = auth.login("nessuno@example.it", PASSWORD)
    wrong = auth.login(user.email, "password-sbagliata")

    assert unknown.status_code == wrong.status_code == 422
    assert BAD_LOGIN in text(unknown) and BAD_LOGIN in text(wrong)
    assert text(unknown).replace("nessuno@example.it", user.email) == text(wrong)


def test_inactive_account_cannot_sign_in(client, auth, make_user):
    user = make_user(Role.STAFF, active=False)

    response = auth.login(user.email)

    assert response.status_code == 422 and BAD_LOGIN in text(response)


def test_failures_below_the_limit_do_not_lock(app, db, client, auth, make_user):
    user = make_user(Role.STAFF)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        auth.login(user.email, "password-sbagliata")

    assert auth.login(user.email).location == "/home"


def test_login_posts_are_rate_limited_with_an_italian_page(app, client, auth):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert auth.login("nessuno@example.it", "x").status_code == 422

    response = auth.login("nessuno@example.it", "x")

    assert response.status_code == 429
    assert "Troppi tentativi" in text(response) and "Traceback" not in text(response)
    assert client.get("/accedi").status_code == 200  # reading the page is not limited


def test_login_keeps_a_local_next_and_ignores_another_site(client, auth, make_user):
    user = make_user(Role.STAFF)

    response = client.post("/accedi?next=https://evil.example/furto", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/home"
    auth.logout()
    response = client.post("/accedi?next=/soci/aziende", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/soci/aziende"


def test_session_cookie_is_httponly_and_samesite_lax(client, auth, make_user):
    user = make_user(Role.STAFF)

    response = auth.login(user.email)

    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_stored_with_scrypt(real_password_hash, make_user):
    user = make_user(Role.STAFF)

    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


# --- password reset ------------------------------------------------------------------------

def test_password_reset_through_smtp_works_once(db, client, auth, smtp, make_user):
    user = make_user(Role.STAFF)

    response = client.post("/password/dimenticata", data={"email": user.email}, follow_redirects=True)
    assert "riceverai a breve un'e-mail" in text(response)
    link = link_in(smtp.last_to(user.email))
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.location == "/accedi"

    assert auth.login(user.email, PASSWORD).status_code == 422  # the old password no longer works
    assert auth.login(user.email, NEW_PASSWORD).location == "/home"
    auth.logout()
    reused = client.get(link, follow_redirects=True)
    assert "Il link non è valido o è scaduto" in text(reused)
    assert count(db, AuditEntry, AuditEntry.action == "user.password_reset") == 1


def test_a_mistyped_address_on_the_reset_form_is_a_422_with_the_reason(client, smtp):
    response = client.post("/password/dimenticata", data={"email": "mario.rossi@"})

    assert response.status_code == 422 and "Indirizzo e-mail non valido" in text(response)
    assert 'value="mario.rossi@"' in text(response) and smtp.messages == []


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, smtp):
    response = client.post("/password/dimenticata", data={"email": "nessuno@example.it"}, follow_redirects=True)

    assert "riceverai a breve un'e-mail" in text(response)
    assert smtp.messages == []


def expire_every_link(db) -> None:
    db.session.execute(update(SecureToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_expired_reset_link_is_refused(app, db, client, smtp, make_user):
    user = make_user(Role.STAFF)
    client.post("/password/dimenticata", data={"email": user.email})
    link = link_in(smtp.last_to(user.email))
    expire_every_link(db)

    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=True)

    assert "Il link non è valido o è scaduto" in text(response)
    db.session.expire_all()
    assert user.check_password(PASSWORD)


def test_forged_reset_link_is_refused(app, client, db, make_user):
    user = make_user(Role.STAFF)
    invitation = Invitation(email="nuovo@example.it", role=Role.STAFF)
    db.session.add(invitation)
    other_purpose = members.invitation_token(invitation)  # a genuine link, of another purpose
    db.session.commit()

    for token in (other_purpose, secrets.token_urlsafe(32), "abc.def.ghi", "x" * 5000):
        response = client.post(f"/password/reimposta/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert response.location == "/password/dimenticata"
    db.session.expire_all()
    assert user.check_password(PASSWORD)


# --- invitations -------------------------------------------------------------------------

def _invite_colleague(client, auth, company_admin, email="collega@example.it"):
    auth.login(company_admin.email)
    response = client.post(f"/soci/aziende/{company_admin.company_id}/invita", data={"name": "Carla Collega", "email": email})
    auth.logout()
    return response


def _accept(client, link, name="Carla Collega", password=NEW_PASSWORD):
    return client.post(link, data={"name": name, "password": password, "confirm": password})


def test_company_admin_invites_a_colleague_who_becomes_an_applicant(db, client, auth, smtp, make_user, make_company):
    company = make_company()
    company_admin = make_user(Role.COMPANY_ADMIN, company)

    assert _invite_colleague(client, auth, company_admin).status_code == 302
    message = smtp.last_to("collega@example.it")
    assert company.ragione_sociale in message.get_content()
    assert _accept(client, link_in(message)).location == "/home"

    colleague = db.session.scalar(select(User).where(User.email == "collega@example.it"))
    assert colleague.role == Role.APPLICANT and colleague.company_id == company.id
    assert count(db, AuditEntry, AuditEntry.action == "user.invite", AuditEntry.actor_id == company_admin.id) == 1


def test_used_invitation_link_is_refused(db, client, auth, smtp, make_user, make_company):
    company_admin = make_user(Role.COMPANY_ADMIN, make_company())
    _invite_colleague(client, auth, company_admin)
    link = link_in(smtp.last_to("collega@example.it"))
    _accept(client, link)
    auth.logout()

    response = _accept(client, link, password="un-altra-password")

    assert response.location == "/accedi"
    assert count(db, User, User.email == "collega@example.it") == 1
    assert db.session.scalar(select(User).where(User.email == "collega@example.it")).check_password(NEW_PASSWORD)


def test_expired_invitation_link_is_refused(app, db, client, auth, smtp, make_user, make_company):
    company_admin = make_user(Role.COMPANY_ADMIN, make_company())
    _invite_colleague(client, auth, company_admin)
    expire_every_link(db)

    response = client.get(link_in(smtp.last_to("collega@example.it")), follow_redirects=True)

    assert "L'invito non è valido, è scaduto o è già stato usato" in text(response)
    assert count(db, User, User.email == "collega@example.it") == 0


def test_forged_invitation_link_is_refused(db, client, make_user):
    invitation = Invitation(email="intruso@example.it", role=Role.ADMIN)
    db.session.add(invitation)
    real = members.invitation_token(invitation)
    reset = members.reset_token(make_user(Role.STAFF))  # a link of another purpose
    db.session.commit()
    altered = real[:-2] + ("xx" if not real.endswith("xx") else "yy")

    for token in (altered, reset, secrets.token_urlsafe(32)):
        response = _accept(client, f"/invito/{token}", name="Intruso")
        assert response.location == "/accedi"
    assert count(db, User, User.email == "intruso@example.it") == 0


def test_a_new_invitation_revokes_the_earlier_link(db, client, auth, smtp, make_user, make_company):
    company_admin = make_user(Role.COMPANY_ADMIN, make_company())
    _invite_colleague(client, auth, company_admin)
    first = link_in(smtp.last_to("collega@example.it"))
    _invite_colleague(client, auth, company_admin)
    second = link_in(smtp.last_to("collega@example.it"))

    assert _accept(client, first).location == "/accedi"
    assert _accept(client, second).location == "/home"


def test_inviting_an_existing_account_is_refused(db, client, auth, smtp, make_user, make_company):
    other = make_user(Role.APPLICANT, make_company(), email="occupato@example.it")
    company_admin = make_user(Role.COMPANY_ADMIN, make_company())
    auth.login(company_admin.email)

    response = client.post(f"/soci/aziende/{company_admin.company_id}/invita",
                           data={"name": "Occupato", "email": "Occupato@Example.it"})

    assert response.status_code == 422
    assert "una persona può appartenere a una sola azienda" in field_error(response, "email")
    assert count(db, Invitation) == 0 and smtp.to("occupato@example.it") == []
    db.session.expire_all()
    assert other.company_id != company_admin.company_id


def test_admin_invites_an_auditor_without_company(db, client, auth, smtp, make_user):
    admin = make_user(Role.ADMIN)
    sign_in(client, admin)
    client.post("/admin/invita", data={"name": "Vera Valutatrice", "email": "vera@example.it", "role": "auditor"})
    auth.logout()

    assert _accept(client, link_in(smtp.last_to("vera@example.it")), name="Vera Valutatrice").location == "/home"

    auditor = db.session.scalar(select(User).where(User.email == "vera@example.it"))
    assert auditor.role == Role.AUDITOR and auditor.company_id is None


# --- removing a colleague ------------------------------------------------------------------

def test_company_admin_removes_a_colleague_keeping_the_history(db, client, auth, make_user, make_company):
    company = make_company()
    company_admin = make_user(Role.COMPANY_ADMIN, company)
    colleague = make_user(Role.APPLICANT, company)
    auth.login(colleague.email)
    client.post("/profilo", data={"name": "Carla Collega", "locale": "it"})
    auth.logout()
    auth.login(company_admin.email)

    response = client.post(f"/soci/utenti/{colleague.id}/rimuovi", follow_redirects=True)

    assert "non fa più parte dell'azienda" in text(response)
    db.session.expire_all()
    assert db.session.get(User, colleague.id) is not None  # the account is closed, not deleted
    assert not colleague.active and colleague.company_id is None
    removal = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.remove"))
    assert removal.object_id == colleague.id and removal.changes == {"company": company.ragione_sociale}
    assert count(db, AuditEntry, AuditEntry.actor_id == colleague.id, AuditEntry.action == "user.profile") == 1  # still theirs
    auth.logout()
    assert BAD_LOGIN in text(auth.login(colleague.email))


def test_company_admin_cannot_remove_themselves(db, client, auth, make_user, make_company):
    company_admin = make_user(Role.COMPANY_ADMIN, make_company())
    auth.login(company_admin.email)

    response = client.post(f"/soci/utenti/{company_admin.id}/rimuovi", follow_redirects=True)

    assert "Non puoi rimuovere il tuo stesso account" in text(response)
    db.session.expire_all()
    assert company_admin.active


# --- password and profile -------------------------------------------------------------------

def test_change_password_needs_the_current_one(db, client, auth, make_user):
    user = make_user(Role.STAFF)
    auth.login(user.email)

    wrong = client.post("/profilo/password", data={"current": "sbagliata", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert field_error(wrong, "current") == "La password attuale non è corretta."
    db.session.expire_all()
    assert user.check_password(PASSWORD)

    right = client.post("/profilo/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert right.location == "/profilo"
    db.session.expire_all()
    assert user.check_password(NEW_PASSWORD)
    assert count(db, AuditEntry, AuditEntry.action == "user.password_change", AuditEntry.actor_id == user.id) == 1


def test_a_new_password_signs_out_the_other_sessions(app, db, client, auth, make_user):
    user = make_user(Role.COMPANY_ADMIN)
    other_device = app.test_client()
    other_device.post("/accedi", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/profilo").status_code == 200
    auth.login(user.email)

    client.post("/profilo/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert client.get("/profilo").status_code == 200  # the session that changed it stays
    assert other_device.get("/profilo").location.startswith("/accedi")


def test_a_password_reset_signs_out_every_session(app, db, client, smtp, make_user):
    user = make_user(Role.STAFF)
    client.post("/accedi", data={"email": user.email, "password": PASSWORD})
    assert client.get("/profilo").status_code == 200

    client.post("/password/dimenticata", data={"email": user.email})
    app.test_client().post(link_in(smtp.last_to(user.email)), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert client.get("/profilo").location.startswith("/accedi")


def test_profile_language_switches_the_interface(db, client, auth, make_user):
    user = make_user(Role.STAFF)
    auth.login(user.email)

    response = client.post("/profilo", data={"name": "Stefano Staff", "locale": "en"}, follow_redirects=True)

    assert '<html lang="en">' in text(response)
    db.session.expire_all()
    assert user.locale == "en" and user.name == "Stefano Staff"
    auth.logout()
    assert '<html lang="en">' in text(client.get(auth.login(user.email).location))  # remembered at the next login


# --- roles -------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(Role.ADMIN)
    sign_in(client, admin)  # an admin's login needs the second factor: tests/members/test_second_factor.py
    client.admin = admin
    return client


def test_admin_promotes_a_company_user(db, admin_client, make_user, make_company):
    user = make_user(Role.APPLICANT, make_company())

    response = admin_client.post(f"/admin/utenti/{user.id}", data={"role": "company_admin", "active": "y"})

    assert response.location == "/admin/utenti"
    db.session.expire_all()
    assert user.role == Role.COMPANY_ADMIN
    change = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.change"))
    assert change.changes == {"role": ["applicant", "company_admin"]} and change.actor_id == admin_client.admin.id


def test_admin_cannot_demote_or_deactivate_themselves(db, admin_client):
    admin = admin_client.admin
    for data in ({"role": "staff", "active": "y"}, {"role": "admin"}):
        response = admin_client.post(f"/admin/utenti/{admin.id}", data=data)
        assert "Non puoi cambiare il ruolo o disattivare il tuo stesso account" in field_error(response, "role")
    db.session.expire_all()
    assert admin.role == Role.ADMIN and admin.active


@pytest.mark.parametrize(("start", "company", "new_role", "message"), [
    (Role.APPLICANT, True, "auditor", "Valutatori e staff non appartengono a un'azienda"),
    (Role.COMPANY_ADMIN, True, "admin", "Valutatori e staff non appartengono a un'azienda"),
    (Role.AUDITOR, False, "company_admin", "Un ruolo aziendale richiede"),
    (Role.STAFF, False, "applicant", "Un ruolo aziendale richiede"),
])
def test_role_must_match_company_membership(db, admin_client, make_user, make_company, start, company, new_role, message):
    user = make_user(start, make_company() if company else None)

    response = admin_client.post(f"/admin/utenti/{user.id}", data={"role": new_role, "active": "y"})

    assert message in field_error(response, "role")
    db.session.expire_all()
    assert user.role == start


def test_admin_deactivates_a_user(db, admin_client, make_user):
    user = make_user(Role.AUDITOR)

    admin_client.post(f"/admin/utenti/{user.id}", data={"role": "auditor"})

    db.session.expire_all()
    assert not user.active
