"""Transport and session hardening, and what a login attempt may reveal; no state change over GET.

tests/test_core.py checks the CSP, nosniff and Referrer-Policy headers, and
tests/members/test_accounts.py the lockout itself: here, the production entry point (wsgi.py
behind its TLS proxy), the production cookie flags, answers that do not tell an existing e-mail
from an unknown one, and every GET route of the URL map leaving the database as it was.
"""

import importlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.certification.consultation.models import Comment, Consultation, Participant
from portal.certification.models import (
    Application,
    Area,
    Assignment,
    Certificate,
    Edition,
    Evidence,
    NonConformity,
    Parameter,
    SurveillanceReview,
)
from portal.certification.signing import create_demo_identity
from portal.config import Config
from portal.database import utcnow
from portal.extensions import db
from portal.members import models as member_models
from portal.members import services as member_services
from portal.members.lockout import ACCOUNT, LoginThrottle
from portal.members.models import Company, MembershipRequest, Site, User
from portal.members.services import authenticate
from portal.members.sessions import UserSession
from portal.reshoring.models import (
    Brief,
    BriefIssue,
    Contact,
    FollowUpAction,
    Organisation,
    Proposal,
    ProposalAttachment,
    ProposalState,
    Roundtable,
    RoundtableDocument,
    SectorFigure,
    WorkAbroad,
)
from portal.tariffs.models import Decree, PendingImport, RateBatch, RateCheck
from tests.conftest import PASSWORD
from tests.security.test_stored_xss import (  # noqa: F401 (demo_app is a fixture)
    ADMIN,
    AUDITOR,
    COMPANY_ADMIN,
    COMPANY_USER,
    STAFF,
    client_for,
    csv_rates_file,
    csv_table_file,
    demo_app,
    pdf_file,
    proposal,
    roundtable,
    user_id,
)

HSTS = "max-age=31536000; includeSubDomains"


# --- the production entry point -------------------------------------------------------------------

@pytest.fixture
def production_app(monkeypatch, tmp_path, database_url, _schema, redis_url):
    """`wsgi:app` as gunicorn loads it: production config from the environment, behind one TLS proxy."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    # What the deployment's environment gives (the Config class read it when first imported).
    signing_files = create_demo_identity(tmp_path / "signing")  # production refuses to start without a signing key
    for name, value in {"SECRET_KEY": "production-test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                        "UPLOAD_FOLDER": str(tmp_path / "uploads"), "PUBLIC_BASE_URL": "https://portale.example.it",
                        "CERT_SIGNING_KEY": str(signing_files["key"]), "CERT_SIGNING_CERT": str(signing_files["cert"]),
                        "RATELIMIT_STORAGE_URI": redis_url, "TRUSTED_PROXIES": 1}.items():
        monkeypatch.setattr(Config, name, value)
    return importlib.reload(importlib.import_module("wsgi")).app


def test_hsts_only_when_the_proxy_says_the_request_came_over_tls(production_app):
    client = production_app.test_client()

    over_tls = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    plain = client.get("/healthz")

    assert over_tls.headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in plain.headers


def test_without_the_proxy_a_forged_scheme_header_is_ignored(app, client):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})

    assert "Strict-Transport-Security" not in response.headers


def test_production_session_cookie_is_secure_httponly_and_samesite(production_app):
    client = production_app.test_client()

    response = client.get("/accedi", headers={"X-Forwarded-Proto": "https"})  # the CSRF token opens a session

    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= flags and "domain" not in flags
    assert "SameSite=Lax" in cookie and "Path=/;" in cookie + ";"
    assert production_app.config["REMEMBER_COOKIE_SECURE"] and production_app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert response.headers["X-Frame-Options"] == "DENY"


# --- what a login attempt reveals -----------------------------------------------------------------

def client_from(app, address: str):
    """A browser at its own address (the login rate limit counts per address)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login_page(client, email: str, password: str = "password-sbagliata"):
    return client.post("/accedi", data={"email": email, "password": password})


def visible(response, email: str) -> str:
    """The page as the person sees it, with the typed e-mail taken out."""
    return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True)).replace(email, "EMAIL")


def test_a_locked_account_answers_like_an_unknown_email(app, make_user):
    user = make_user(Role.STAFF)
    existing, unknown = client_from(app, "10.0.0.1"), client_from(app, "10.0.0.2")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login_page(existing, user.email)
        login_page(unknown, "nessuno@example.it")

    locked = login_page(existing, user.email, PASSWORD)  # the right password, on a locked account
    nobody = login_page(unknown, "nessuno@example.it", PASSWORD)

    assert locked.status_code == nobody.status_code == 422
    assert visible(locked, user.email) == visible(nobody, "nessuno@example.it")


def test_the_rate_limit_answers_alike_for_an_existing_and_an_unknown_email(app, make_user):
    user = make_user(Role.STAFF)
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    existing, unknown = client_from(app, "10.0.1.1"), client_from(app, "10.0.1.2")
    for _ in range(2):
        login_page(existing, user.email)
        login_page(unknown, "nessuno@example.it")

    limited = login_page(existing, user.email)
    nobody = login_page(unknown, "nessuno@example.it")

    assert limited.status_code == nobody.status_code == 429
    assert visible(limited, user.email) == visible(nobody, "nessuno@example.it")
    assert "Troppi tentativi" in limited.get_data(as_text=True)


@pytest.fixture
def password_checks(monkeypatch):
    """Counts the password hashes computed: the costly step whose absence would show in the timing."""
    calls = []
    for module in (member_models, member_services):
        original = module.check_password_hash
        monkeypatch.setattr(module, "check_password_hash", lambda *a, _o=original: calls.append(1) or _o(*a))
    return calls


@pytest.mark.parametrize("state", ["slowed down", "inactive"])
def test_refusing_a_locked_or_inactive_account_costs_what_an_unknown_email_costs(app, db, make_user, password_checks, state):
    user = make_user(Role.STAFF, active=state == "slowed down")
    if state == "slowed down":
        db.session.add(LoginThrottle(user_id=user.id, client=ACCOUNT, failures=50, last_failure_at=utcnow(),
                                     blocked_until=utcnow() + timedelta(minutes=10)))
        db.session.commit()

    with app.test_request_context():
        assert authenticate("nessuno@example.it", PASSWORD) is None
        unknown_cost = len(password_checks)
        assert authenticate(user.email, PASSWORD) is None

    assert len(password_checks) - unknown_cost == unknown_cost == 1


# --- no state change over GET ---------------------------------------------------------------------

# How to fill each URL variable: a model whose first row gives the id, or a fixed value.
URL_VALUES = {
    "application_id": Application, "area_id": Area, "certificate_id": Certificate,
    "edition_id": Edition, "evidence_id": Evidence, "link_id": Evidence, "parameter_id": Parameter,
    "review_id": SurveillanceReview, "nc_id": NonConformity, "company_id": Company, "site_id": Site, "user_id": User,
    "request_id": MembershipRequest,
    "assignment_id": lambda: db.session.scalar(select(Assignment.id).where(Assignment.auditor_id == user_id(AUDITOR)).limit(1)), "proposal_id": Proposal, "attachment_id": ProposalAttachment,
    "document_id": RoundtableDocument, "roundtable_id": Roundtable, "figure_id": SectorFigure, "brief_id": Brief,
    "work_id": WorkAbroad, "kind": lambda: "pdf",
    "issue_id": lambda: db.session.scalar(select(BriefIssue.id).limit(1)) or 1,  # the demo issues no brief: any id
    "state_id": ProposalState, "decree_id": Decree, "import_id": PendingImport,
    "check_id": RateCheck, "batch_id": RateBatch, "organisation_id": Organisation, "contact_id": Contact,
    "action_id": FollowUpAction, "session_id": UserSession,
    "consultation_id": Consultation, "comment_id": Comment, "participant_id": Participant,
    "number": lambda: db.session.scalar(select(Certificate.number).limit(1)),
    "code": lambda: db.session.scalar(select(Area.code).limit(1)),
    "token": lambda: "un-token-qualsiasi", "fmt": lambda: "csv", "dimension": lambda: "settore",
}


def value_for(name: str):
    source = URL_VALUES[name]
    if isinstance(source, type):
        return db.session.scalar(select(source.id).order_by(source.id).limit(1))
    return source()


def get_routes(app) -> list[str]:
    """Every GET route of the URL map with its variables filled; an undeclared variable fails here."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        undeclared = rule.arguments - URL_VALUES.keys()
        assert not undeclared, f"{rule.rule}: declare how to fill {undeclared} in URL_VALUES"
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", str(value_for(name)), path)
        urls.append(path)
    return sorted(urls)


def row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


@pytest.fixture(scope="module")
def lived_in(demo_app):  # noqa: F811 (the imported fixture)
    """The demo data plus what it lacks for some routes: an attachment, a document, an import, a bulk check."""
    staff, member = client_for(demo_app, STAFF), client_for(demo_app, COMPANY_USER)
    posts = [
        staff.post(f"/reshoring/proposte/{proposal().id}/allegati", data={"file": pdf_file()}),
        staff.post(f"/reshoring/tavoli/{roundtable().id}/documenti", data={"file": pdf_file()}),
        staff.post("/tariffe/tabelle/importa", data={"number": "D.D. 9/2030", "issued_on": "2030-01-15", "source": "G.U. n. 1",
                                                     "file": csv_table_file()}),
        member.post("/tariffe/verifiche/massiva", data={"file": csv_rates_file()}),
    ]
    assert [p.status_code for p in posts] == [302] * len(posts)
    return demo_app


@pytest.mark.parametrize("email", [ADMIN, COMPANY_ADMIN, COMPANY_USER, AUDITOR, None])
def test_no_get_route_changes_the_database(lived_in, email):
    client = client_for(lived_in, email)
    before = row_counts()

    answers = {url: client.get(url).status_code for url in get_routes(lived_in)}

    assert not [url for url, status in answers.items() if status >= 500], answers
    after = row_counts()
    assert after == before, {name: (before[name], after[name]) for name in before if before[name] != after[name]}
