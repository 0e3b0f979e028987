"""`flask --app portal demo`: safe to run twice, believable data."""

import pyotp
from sqlalchemy import func, select
from stdnum.it import iva

from portal.access import Role
from portal.extensions import db as _db
from portal.members.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from portal.members.models import Company, MembershipRequest, Site, User

COUNTED = (Company, Site, User, MembershipRequest)


def counts() -> dict:
    _db.session.expire_all()
    return {model.__name__: _db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def test_demo_runs_twice_without_duplicates_and_its_accounts_sign_in(db, runner, auth):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    after_first = counts()

    second = runner.invoke(args=["demo"])

    assert second.exit_code == 0, second.output
    assert counts() == after_first
    assert after_first["Company"] >= 12 and after_first["User"] >= 12
    assert DEMO_PASSWORD in first.output and "admin@assocontact.demo" in first.output
    _check_world(db)
    for email in ("staff@assocontact.demo", "valutatore1@assocontact.demo", "admin@voce.demo"):
        assert auth.login(email, DEMO_PASSWORD).location == "/home", email
        auth.logout()


def test_the_demo_admin_signs_in_with_the_printed_key_or_the_development_command(db, runner, client, auth):
    printed = runner.invoke(args=["demo"]).output
    assert DEMO_TOTP_SECRET in printed and "users demo-code admin@assocontact.demo" in printed

    assert auth.login("admin@assocontact.demo", DEMO_PASSWORD).location == "/accedi/verifica"
    app_code = pyotp.TOTP(DEMO_TOTP_SECRET).now()  # what the tester's authenticator app shows
    assert runner.invoke(args=["users", "demo-code", "admin@assocontact.demo"]).output.strip() == app_code
    assert client.post("/accedi/verifica", data={"code": app_code}).location == "/home"
    assert "Anna Amministratrice" in client.get("/home").get_data(as_text=True)


def test_demo_and_demo_code_refuse_to_run_in_production(app, runner):
    app.config["PORTAL_ENV"] = "production"

    for args in (["demo"], ["users", "demo-code", "admin@assocontact.demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "produzione" in result.output
    assert db_users() == 0


def db_users() -> int:
    return _db.session.scalar(select(func.count()).select_from(User))


def _check_world(db) -> None:
    """Valid identifiers, every role, sites in several regions and abroad, roles matching companies."""
    companies = db.session.scalars(select(Company)).all()
    assert all(iva.is_valid(c.partita_iva) for c in companies), [c.partita_iva for c in companies if not iva.is_valid(c.partita_iva)]
    roles = set(db.session.scalars(select(User.role)).all())
    assert roles >= set(Role)
    sites = db.session.scalars(select(Site)).all()
    assert any(s.is_abroad and s.regione is None for s in sites)
    assert all(s.regione for s in sites if not s.is_abroad)
    assert len({s.regione for s in sites if not s.is_abroad}) >= 5
    for user in db.session.scalars(select(User).where(User.role.in_([Role.APPLICANT, Role.COMPANY_ADMIN]))):
        assert user.company_id is not None
    for user in db.session.scalars(select(User).where(User.role.not_in([Role.APPLICANT, Role.COMPANY_ADMIN]))):
        assert user.company_id is None

