"""Finding 8: anyone could lock any account with five wrong passwords from any addresses. The attack
again, and what must hold instead: the owner's own browser still signs in, a client that keeps
guessing waits longer and longer, a crowd of addresses gets well under 100 guesses an hour, the
owner hears of it by e-mail, and a password reset always opens the door again.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.audit import AuditEntry
from portal.database import utcnow
from portal.extensions import db
from portal.members import lockout
from portal.members.lockout import ACCOUNT, LoginThrottle
from tests.conftest import PASSWORD

WRONG = "una-password-sbagliata"


def browser_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(client, email: str, password: str):
    return client.post("/accedi", data={"email": email, "password": password})


def signs_in(client, email: str, password: str = PASSWORD) -> bool:
    return login(client, email, password).location == "/home"


@pytest.fixture
def clock(monkeypatch):
    """The lockout's clock, which a test moves forward."""
    now = {"at": utcnow()}
    monkeypatch.setattr(lockout, "utcnow", lambda: now["at"])
    return now


def test_guesses_from_many_addresses_do_not_lock_the_owner_out_of_their_browser(app, make_user):
    user = make_user(Role.STAFF)
    owners_browser = browser_at(app, "10.0.0.1")
    assert signs_in(owners_browser, user.email)  # the browser is now a known device of the account
    owners_browser.post("/esci")

    for n in range(40):  # more than the account-wide allowance, from addresses the account never used
        login(browser_at(app, f"172.16.{n}.1"), user.email, WRONG)

    assert not signs_in(browser_at(app, "172.16.99.1"), user.email)  # a new client is slowed down
    assert signs_in(owners_browser, user.email)  # the owner's browser is not


def test_a_client_that_keeps_guessing_waits_longer_each_time(app, make_user, clock):
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"  # the per-address rate limit has its own tests
    user = make_user(Role.STAFF)
    guesser = browser_at(app, "192.0.2.7")
    free = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(free):
        login(guesser, user.email, WRONG)

    waits = []
    for _ in range(4):
        row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.client == "ip:192.0.2.7")
                                .execution_options(populate_existing=True))
        waits.append(row.blocked_until - clock["at"])
        assert not signs_in(guesser, user.email)  # blocked: even the right password is refused
        clock["at"] = row.blocked_until + timedelta(seconds=1)
        login(guesser, user.email, WRONG)

    assert waits == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert signs_in(browser_at(app, "198.51.100.1"), user.email)  # another address is not concerned


def test_a_crowd_of_addresses_gets_well_under_100_guesses_an_hour(app, make_user, clock, monkeypatch):
    user = make_user(Role.STAFF)
    checks = []
    original = user.check_password
    monkeypatch.setattr(type(user), "check_password", lambda self, password: checks.append(1) or original(password))
    start, n = clock["at"], 0
    while clock["at"] < start + timedelta(hours=1):
        n += 1
        login(browser_at(app, f"10.{n // 250}.{n % 250}.1"), user.email, WRONG)  # a fresh address each time
        account = db.session.scalar(select(LoginThrottle).where(LoginThrottle.client == ACCOUNT)
                                    .execution_options(populate_existing=True))
        blocked_until = account.blocked_until if account else None
        clock["at"] = max(clock["at"] + timedelta(seconds=1), blocked_until or clock["at"])

    assert len(checks) < 100, f"{len(checks)} passwords tried in an hour"


def test_the_owner_is_told_once_by_e_mail(app, make_user, smtp):
    user = make_user(Role.STAFF)
    guesser = browser_at(app, "203.0.113.5")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        login(guesser, user.email, WRONG)

    [mail] = smtp.to(user.email)
    body = mail.get_content()
    assert "203.0.113.5" in body and "/password/dimenticata" in body
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "user.login_slowed")) == 1


def test_a_slowed_down_owner_resets_the_password_and_signs_in(app, make_user, smtp):
    user = make_user(Role.STAFF)
    for n in range(40):
        login(browser_at(app, f"172.17.{n}.1"), user.email, WRONG)
    new_browser = browser_at(app, "10.20.30.40")
    assert not signs_in(new_browser, user.email)

    new_browser.post("/password/dimenticata", data={"email": user.email})
    link = next(line for line in smtp.last_to(user.email).get_content().splitlines() if "/password/reimposta/" in line)
    new_password = "la mia nuova frase segreta"
    new_browser.post(link.split("localhost", 1)[1], data={"password": new_password, "confirm": new_password})

    assert signs_in(new_browser, user.email, new_password)


def test_a_good_login_forgets_the_earlier_mistakes(app, make_user):
    user = make_user(Role.STAFF)
    browser = browser_at(app, "10.0.0.8")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        login(browser, user.email, WRONG)
    assert signs_in(browser, user.email)
    browser.post("/esci")

    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        login(browser, user.email, WRONG)
    assert signs_in(browser, user.email)
