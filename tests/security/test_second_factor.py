"""The second factor of staff and admin accounts: enrolment, signing in, recovery, and the attacks
on it (a password alone, a code replayed, a recovery code used twice, guessing codes, a secret
read from the database)."""

import re
import time
from datetime import datetime, timedelta
from types import SimpleNamespace

import pyotp
import pytest
from sqlalchemy import select

from portal.access import Role
from portal.audit import AuditEntry
from portal.extensions import db
from portal.members import second_factor, signin
from portal.members.models import User
from portal.members.sessions import UserSession
from tests.conftest import PASSWORD
from tests.members.pages import link_in, text
from tests.sessions import sign_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def password_step(client, user):
    return client.post("/accedi", data={"email": user.email, "password": PASSWORD})


@pytest.fixture
def enrolled_admin(app, make_user):
    """An admin whose authenticator app holds SECRET, with ten recovery codes (`.codes`)."""
    admin = make_user(Role.ADMIN)
    with app.test_request_context():
        admin.codes = second_factor.enrol(admin, SECRET, pyotp.TOTP(SECRET).now())
    admin.totp_last_step = None  # the enrolment code was "used" in the past
    db.session.commit()
    return admin


def code(offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(SECRET)
    return totp.generate_otp(totp.timecode(datetime.now()) + offset_steps)


def signed_in(client) -> bool:
    return client.get("/home").status_code == 200


# --- an admin without a second factor sets it up before having a session ------------------------

def test_an_admin_without_second_factor_must_set_it_up_to_sign_in(app, client, make_user):
    admin = make_user(Role.ADMIN)

    assert password_step(client, admin).location == "/accedi/attiva-verifica"
    assert not signed_in(client)  # the password alone opened nothing
    page = text(client.get("/accedi/attiva-verifica"))
    secret = re.search(r"<code[^>]*>([A-Z2-7 ]{32,})</code>", page).group(1).replace(" ", "")
    assert "data:image/svg+xml" in page  # the QR code
    assert text(client.get("/accedi/attiva-verifica")).count(secret[:4]) >= 1  # the same key on reload

    wrong = client.post("/accedi/attiva-verifica", data={"code": "000000"})
    assert wrong.status_code == 422 and not signed_in(client)
    done = client.post("/accedi/attiva-verifica", data={"code": pyotp.TOTP(secret).now()})

    codes = re.findall(r"<code class=\"fs-5\">([0-9A-F-]{17})</code>", text(done))
    assert len(codes) == 10 and signed_in(client)
    db.session.expire_all()
    assert second_factor.is_enrolled(admin) and secret not in (admin.totp_secret or "")  # stored sealed
    assert db.session.scalar(select(UserSession.second_factor).where(UserSession.user_id == admin.id))


def test_an_invited_admin_sets_up_the_second_factor_when_accepting(app, client, smtp, make_user):
    sign_in(client, make_user(Role.ADMIN))
    client.post("/admin/invita", data={"name": "Nuova Admin", "email": "nuova@example.it", "role": "admin"})
    sign_in(client, None)

    accepted = client.post(link_in(smtp.last_to("nuova@example.it")),
                           data={"name": "Nuova Admin", "password": "una frase lunga e sicura", "confirm": "una frase lunga e sicura"})

    assert accepted.location == "/accedi/attiva-verifica" and not signed_in(client)


# --- signing in with the second factor ----------------------------------------------------------

def test_the_password_alone_does_not_sign_an_enrolled_admin_in(client, enrolled_admin):
    assert password_step(client, enrolled_admin).location == "/accedi/verifica"
    assert not signed_in(client)
    assert client.get("/admin/utenti").location.startswith("/accedi")


def test_the_code_of_the_app_signs_in_and_cannot_be_replayed(app, client, smtp, enrolled_admin):
    password_step(client, enrolled_admin)
    current = code()
    assert client.post("/accedi/verifica", data={"code": current}).location == "/home"
    client.post("/esci")

    thief = app.test_client()  # saw the code over the shoulder and knows the password
    password_step(thief, enrolled_admin)
    replayed = thief.post("/accedi/verifica", data={"code": current})

    assert replayed.status_code == 422 and not signed_in(thief)
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "user.second_factor_replayed"))
    told = [m.get_content() for m in smtp.to(enrolled_admin.email) if "presentato di nuovo" in m.get_content()]
    assert len(told) == 1 and "conosceva la tua password" in told[0]  # ASVS 2.8.5: the holder hears of it


def test_a_code_from_the_previous_step_is_accepted_for_clock_drift(client, enrolled_admin):
    password_step(client, enrolled_admin)
    assert client.post("/accedi/verifica", data={"code": code(-1)}).location == "/home"


def test_an_old_code_is_refused(client, enrolled_admin):
    password_step(client, enrolled_admin)
    assert client.post("/accedi/verifica", data={"code": code(-3)}).status_code == 422


def test_a_recovery_code_works_once(app, client, enrolled_admin):
    recovery = enrolled_admin.codes[0]
    password_step(client, enrolled_admin)
    answer = client.post("/accedi/verifica", data={"code": recovery.lower()}, follow_redirects=True)
    assert "ne restano 9" in text(answer) and signed_in(client)
    client.post("/esci")

    password_step(client, enrolled_admin)
    assert client.post("/accedi/verifica", data={"code": recovery}).status_code == 422
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "user.recovery_code_used"))


def test_guessing_codes_is_limited_per_account(app, client, enrolled_admin):
    app.config["SECOND_FACTOR_RATE_LIMIT"] = "3 per 15 minutes"
    password_step(client, enrolled_admin)
    for guess in ("111111", "222222", "333333"):
        assert client.post("/accedi/verifica", data={"code": guess}).status_code == 422

    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    password_step(other_address, enrolled_admin)
    assert other_address.post("/accedi/verifica", data={"code": code()}).status_code == 429  # the account's count


def test_the_half_signed_in_state_expires(app, client, enrolled_admin, monkeypatch):
    password_step(client, enrolled_admin)
    later = time.time() + signin.PENDING_SECONDS + 1
    monkeypatch.setattr(signin, "time", SimpleNamespace(time=lambda: later))

    assert client.post("/accedi/verifica", data={"code": code()}).location == "/accedi"
    assert not signed_in(client)


# --- the security page ---------------------------------------------------------------------------

def test_staff_turn_it_on_from_the_security_page_and_other_sessions_end(app, client, make_user):
    staff = make_user(Role.STAFF)
    elsewhere = app.test_client()
    password_step(elsewhere, staff)
    password_step(client, staff)  # staff may sign in with the password alone until they turn it on
    page = text(client.get("/profilo/sicurezza"))
    secret = re.search(r"<code[^>]*>([A-Z2-7 ]{32,})</code>", page).group(1).replace(" ", "")

    done = client.post("/profilo/sicurezza/attiva", data={"code": pyotp.TOTP(secret).now()})

    assert "Conserva i codici di recupero" in text(done)
    assert signed_in(client) and not signed_in(elsewhere)
    client.post("/esci")
    assert password_step(client, staff).location == "/accedi/verifica"


def test_staff_turn_it_off_with_the_password_but_an_admin_cannot(app, client, make_user):
    staff = make_user(Role.STAFF)
    second_factor.preset(staff, SECRET)
    db.session.commit()
    sign_in(client, staff)
    client.post("/profilo/sicurezza/disattiva", data={"off-password": PASSWORD})
    db.session.expire_all()
    assert not second_factor.is_enrolled(staff)


def test_an_admin_cannot_turn_it_off(client, enrolled_admin):
    sign_in(client, enrolled_admin)

    answer = client.post("/profilo/sicurezza/disattiva", data={"off-password": PASSWORD}, follow_redirects=True)

    assert "obbligatoria" in text(answer)
    db.session.expire_all()
    assert second_factor.is_enrolled(enrolled_admin)


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(client, enrolled_admin):
    sign_in(client, enrolled_admin)
    refused = client.post("/profilo/sicurezza/codici", data={"codes-code": "123456"}, follow_redirects=True)
    assert "non sono cambiati" in text(refused)

    renewed = client.post("/profilo/sicurezza/codici", data={"codes-code": code()})

    new_codes = re.findall(r"<code class=\"fs-5\">([0-9A-F-]{17})</code>", text(renewed))
    assert len(new_codes) == 10 and enrolled_admin.codes[1] not in new_codes
    with client.application.test_request_context():
        assert second_factor.verify(enrolled_admin, enrolled_admin.codes[1]) is None
        assert second_factor.verify(enrolled_admin, new_codes[0]) == "recovery"


def test_another_admin_resets_a_lost_second_factor(app, client, enrolled_admin, make_user):
    sign_in(client, make_user(Role.ADMIN))

    client.post(f"/admin/utenti/{enrolled_admin.id}/secondo-fattore")

    db.session.expire_all()
    assert not second_factor.is_enrolled(enrolled_admin)
    assert password_step(app.test_client(), enrolled_admin).location == "/accedi/attiva-verifica"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.second_factor_off")).one()
    assert entry.object_id == enrolled_admin.id and entry.actor_id != enrolled_admin.id


def test_promoting_someone_to_admin_ends_their_sessions_so_the_second_factor_applies(app, client, make_user):
    staff = make_user(Role.STAFF)
    browser = app.test_client()
    password_step(browser, staff)
    sign_in(client, make_user(Role.ADMIN))

    client.post(f"/admin/utenti/{staff.id}", data={"role": "admin", "active": "y"})

    assert not signed_in(browser)
    assert password_step(browser, db.session.get(User, staff.id)).location == "/accedi/attiva-verifica"


def test_the_seed_is_sealed_in_the_database(enrolled_admin):
    assert SECRET not in enrolled_admin.totp_secret
    assert second_factor.open_secret(enrolled_admin.totp_secret) == SECRET


def test_pending_login_lasts_five_minutes():
    assert timedelta(seconds=signin.PENDING_SECONDS) == timedelta(minutes=5)
