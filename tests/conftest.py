"""Fixtures every test uses: `app`, `db`, `client`, `auth`, `smtp`, and object factories.

The database is chosen by `TEST_DATABASE` (set by `tests/run.py`): SQLite in a temporary
file, or a database on the throw-away PostgreSQL server. The schema is built once per run;
each test starts from empty tables.
"""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import boto3
import pytest
from aiosmtpd.controller import Controller
from flask import g, request_started
from sqlalchemy import delete, event, text
from sqlalchemy.engine import Engine
from stdnum import luhn

from portal import create_app
from portal.access import Role
from portal.config import PROJECT_ROOT
from portal.extensions import db as _db
from portal.members.models import Company, MembershipState, Site, User
from tests import pgserver, services
from tests.html_gate import html_pages, pytest_sessionfinish, pytest_terminal_summary  # noqa: F401 (fixture and hooks)

PASSWORD = "password-di-prova-1"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the portal in headless Chromium")
    config.addinivalue_line("markers", "postgresql: needs the PostgreSQL server")
    # Pages name their static files by the hashes of the last front-end build: build it again
    # when its sources changed since (a fraction of a second when nothing did).
    subprocess.run([sys.executable, str(PROJECT_ROOT / "assets" / "build.py")], check=True)


@event.listens_for(Engine, "connect")
def _fast_sqlite(dbapi_connection, connection_record):
    """Test databases are thrown away: SQLite need not wait for the disk on every commit."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def database_kind() -> str:
    return os.environ.get("TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if database_kind() == "postgresql":
        return pgserver.create_database(os.environ["TEST_PG_BASE_URL"], "portal_test")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"


@dataclass
class SMTPSink:
    """A real SMTP server on loopback that keeps what it receives."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no e-mail reached {address}; got {[m['To'] for m in self.messages]}"
        return found[-1]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_content()


@pytest.fixture(scope="session")
def smtp_server():
    sink = SMTPSink()
    controller = Controller(sink, hostname="127.0.0.1", port=pgserver.free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture
def smtp(smtp_server) -> SMTPSink:
    sink, _ = smtp_server
    sink.messages.clear()
    return sink


@pytest.fixture(scope="session")
def redis_url():
    """A throw-away redis-server on loopback for the session (jobs, shared limits and sessions)."""
    if not services.redis_available():
        pytest.fail("redis-server non trovato: `make test` lo installa (apt-get install redis-server).")
    with services.redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's standalone S3 server: an emulator of the S3 protocol for the tests, not AWS."""
    with services.s3_server() as url:
        yield url


def new_bucket(endpoint: str) -> dict:
    """Settings of an app whose files live in a fresh bucket of the S3 emulator at `endpoint`."""
    config = {"STORAGE_BACKEND": "s3", "S3_BUCKET": f"portal-{uuid.uuid4().hex[:12]}", "S3_ENDPOINT_URL": endpoint,
              "S3_REGION": "eu-south-1", "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"}
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-south-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(
        Bucket=config["S3_BUCKET"], CreateBucketConfiguration={"LocationConstraint": "eu-south-1"})
    return config


@pytest.fixture
def s3_config(s3_endpoint) -> dict:
    return new_bucket(s3_endpoint)


def make_test_config(database_url: str, smtp_port: int, tmp_path) -> dict:
    return {
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "CERT_SIGNING_DIR": str(tmp_path / "signing"),  # the demo signing identity, made when a PDF is signed
        "PUBLIC_BASE_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Forms are tested without tokens; tests/test_csrf.py turns protection on and checks it.
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture(scope="session")
def _schema(database_url, smtp_server, tmp_path_factory):
    app = create_app(make_test_config(database_url, smtp_server[1], tmp_path_factory.mktemp("schema")))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return True


# What Flask-Login and Flask-Babel cache in `g` for one request.
REQUEST_CACHES = ("_login_user", "_flask_babel")


def _forget_request_caches(sender, **extra):
    for key in REQUEST_CACHES:
        g.pop(key, None)


@pytest.fixture
def app_config() -> dict:
    """Settings a test folder adds to the test app (tests/jobs/ points it at Redis and real workers)."""
    return {}


@pytest.fixture
def app(_schema, database_url, smtp_server, tmp_path, app_config):
    """The app, with an application context open for the whole test (for `db.session`).

    Flask reuses that context for the test client's requests, so `g` would carry one
    request's signed-in user and language into the next: each request forgets them.
    """
    app = create_app({**make_test_config(database_url, smtp_server[1], tmp_path), **app_config})
    request_started.connect(_forget_request_caches, app)
    with app.app_context():
        yield app
        _db.session.rollback()
        _db.session.remove()
        empty_all_tables()
        _db.engine.dispose()


def empty_all_tables() -> None:
    """Delete every row; PostgreSQL in one TRUNCATE, since foreign keys may form cycles."""
    tables = _db.metadata.sorted_tables
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(delete(table))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.post("/accedi", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/esci")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def valid_partita_iva(n: int) -> str:
    body = f"{7654300 + n:07d}058"
    return body + luhn.calc_check_digit(body)


@pytest.fixture
def make_company(db):
    def make(name: str | None = None, state: MembershipState = MembershipState.ACTIVE, sites: int = 1, **values) -> Company:
        n = _next()
        piva = valid_partita_iva(n)
        company = Company(
            ragione_sociale=name or f"Azienda di prova {n} S.r.l.", partita_iva=piva, codice_fiscale=piva,
            pec=f"azienda{n}@pec.example.it", indirizzo="Via Roma 1", cap="00100", comune="Roma",
            provincia="RM", regione="Lazio", membership_state=state, **values,
        )
        for i in range(sites):
            company.sites.append(Site(name=f"Sede {i + 1}", indirizzo="Via Verdi 2", comune="Roma", country="IT",
                                      regione="Lazio", seats=100, operators=120, channels=["phone"]))
        db.session.add(company)
        db.session.commit()
        return company

    return make


@pytest.fixture
def make_user(db):
    def make(role: Role = Role.APPLICANT, company: Company | None = None, email: str | None = None, **values) -> User:
        n = _next()
        user = User(email=email or f"utente{n}@example.it", name=values.pop("name", f"Utente {n}"), role=role,
                    company=company, **values)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


def wait_for(predicate, timeout: float = 5.0):
    """Poll until `predicate()` is true (for work done by another thread, like the SMTP server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False
