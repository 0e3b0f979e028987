"""Finding 4: logging out did not end the session; a copied cookie kept working for hours and its
lifetime could be extended. Now sessions live on the server: the attacks with a copied cookie,
the idle timeout and the absolute lifetime, the sessions page, and the cost per request.
"""

from datetime import timedelta

from sqlalchemy import select, update

from portal.access import Role
from portal.database import utcnow
from portal.extensions import db
from portal.members.sessions import UserSession
from tests.conftest import PASSWORD
from tests.sessions import sign_in

FIREFOX_ON_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"


def signed_in(app, user, address: str = "10.1.0.1", agent: str = "Werkzeug"):
    """A browser at its own address, signed in through the login form."""
    browser = app.test_client()
    browser.environ_base.update(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    assert browser.post("/accedi", data={"email": user.email, "password": PASSWORD}).location == "/home"
    return browser


def copy_of(app, browser):
    """Another machine holding a copy of the browser's cookies (stolen, or copied from a shared PC)."""
    thief = app.test_client()
    for cookie in browser._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def is_signed_in(browser) -> bool:
    response = browser.get("/profilo")
    return response.status_code == 200


def the_session(user) -> UserSession:
    db.session.expire_all()
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id.desc())).first()


def test_a_copied_cookie_stops_working_when_its_owner_logs_out(app, make_user):
    user = make_user(Role.STAFF)
    owner = signed_in(app, user)
    thief = copy_of(app, owner)
    assert is_signed_in(thief)  # the copy works while the session does

    owner.post("/esci")

    assert not is_signed_in(thief) and not is_signed_in(owner)
    assert the_session(user).ended_reason == "logout"


def test_a_copied_cookie_cannot_keep_a_session_alive_past_its_absolute_lifetime(app, make_user):
    user = make_user(Role.STAFF)
    thief = copy_of(app, signed_in(app, user))
    db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    assert not is_signed_in(thief)  # however recently it was used
    assert the_session(user).ended_reason == "expired"


def test_a_session_left_idle_ends(app, make_user):
    user = make_user(Role.STAFF)
    browser = signed_in(app, user)
    idle = app.config["SESSION_IDLE_MINUTES"]
    assert idle == 30
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=idle, seconds=1)))
    db.session.commit()

    response = browser.get("/home")

    assert response.location.startswith("/accedi")
    assert the_session(user).ended_reason == "idle"


def test_activity_keeps_a_session_but_never_moves_its_end(app, make_user):
    user = make_user(Role.STAFF)
    browser = signed_in(app, user)
    end = the_session(user).expires_at
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=20)))
    db.session.commit()

    assert is_signed_in(browser)
    row = the_session(user)
    assert row.last_seen_at > utcnow() - timedelta(minutes=1) and row.expires_at == end
    assert end - row.created_at == timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])


def test_a_signed_in_request_costs_one_lookup_and_writes_last_seen_at_most_once_a_minute(app, make_user, statements):
    user = make_user(Role.STAFF)
    browser = signed_in(app, user)
    statements.clear()

    for _ in range(5):
        assert browser.get("/profilo").status_code == 200

    session_reads = [s for s in statements if "FROM user_session" in s]
    assert len(session_reads) == 5 and all("JOIN user_account" in s for s in session_reads)  # with the user
    assert not [s for s in statements if s.startswith("UPDATE user_session")]
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    statements.clear()
    browser.get("/profilo")
    browser.get("/profilo")
    assert len([s for s in statements if s.startswith("UPDATE user_session")]) == 1


def test_the_sessions_page_lists_them_and_ends_another(app, make_user):
    user = make_user(Role.COMPANY_ADMIN)
    laptop = signed_in(app, user, "10.1.0.1")
    phone = signed_in(app, user, "10.1.0.2", FIREFOX_ON_ANDROID)

    page = laptop.get("/profilo/sessioni").get_data(as_text=True)
    assert "10.1.0.1" in page and "10.1.0.2" in page and "questa sessione" in page
    assert "Firefox, Android" in page

    phone_session = the_session(user)
    laptop.post(f"/profilo/sessioni/{phone_session.id}/termina")

    assert not is_signed_in(phone) and is_signed_in(laptop)


def test_ending_the_other_sessions_keeps_this_one(app, make_user):
    user = make_user(Role.STAFF)
    browsers = [signed_in(app, user, f"10.1.0.{n}") for n in range(1, 4)]

    browsers[0].post("/profilo/sessioni/altre")

    assert [is_signed_in(b) for b in browsers] == [True, False, False]


def test_nobody_ends_another_persons_session(app, make_user):
    victim, attacker = make_user(Role.STAFF), make_user(Role.STAFF)
    victim_browser = signed_in(app, victim)
    victims_session = the_session(victim)
    attacker_browser = signed_in(app, attacker, "10.9.9.9")

    attacker_browser.post(f"/profilo/sessioni/{victims_session.id}/termina")

    assert is_signed_in(victim_browser) and the_session(victim).ended_at is None


def test_deactivating_an_account_ends_its_sessions(app, make_user):
    user = make_user(Role.STAFF)
    browser = signed_in(app, user)
    admin_browser = app.test_client()
    sign_in(admin_browser, make_user(Role.ADMIN))
    admin_browser.post(f"/admin/utenti/{user.id}", data={"role": "staff"})  # "active" unticked

    assert not is_signed_in(browser)
    assert the_session(user).ended_reason == "deactivated"


def test_signing_in_starts_a_new_session_and_keeps_nothing_of_the_old_cookie(app, make_user):
    """Session fixation: a session key planted before the login is not the one after it."""
    user = make_user(Role.STAFF)
    browser = app.test_client()
    with browser.session_transaction() as planted:
        planted["_sid"] = "chiave-scelta-da-un-attaccante"
    browser.post("/accedi", data={"email": user.email, "password": PASSWORD})
    with browser.session_transaction() as session:
        assert session["_sid"] != "chiave-scelta-da-un-attaccante"
