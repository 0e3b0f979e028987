"""Finding 2: rate limits could be dodged. `wsgi.py` trusted X-Forwarded-For from anyone, so a
client reaching gunicorn directly picked a new address for every attempt (40/40 logins accepted,
30 reset e-mails to one victim, spoofed addresses in the audit log), and `memory://` counted per
worker. The attack again, against gunicorn started as in production (two workers, Redis), then
the anonymous forms that send e-mail or create records (finding 7: membership requests).
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import func, select

from portal import create_app
from portal.access import Role
from portal.certification import signing
from portal.members.models import Company
from portal.members.sessions import UserSession
from tests import services
from tests.conftest import PASSWORD, make_test_config
from tests.members.data import join_data, partita_iva
from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]


def gunicorn(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def limits_url(redis_url: str) -> str:
    return redis_url.removesuffix("/0") + "/1"


def production_env(app, redis_url: str, tmp_path, **extra) -> dict:
    keys = signing.create_demo_identity(tmp_path / "keys")  # production refuses to start without a signing key
    return os.environ | {
        "CERT_SIGNING_KEY": str(keys["key"]), "CERT_SIGNING_CERT": str(keys["cert"]), "CERT_SIGNING_CHAIN": str(keys["root"]),
        "PORTAL_ENV": "production", "SECRET_KEY": "production-test-secret", "PORTAL_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "REDIS_URL": redis_url, "RATELIMIT_STORAGE_URI": limits_url(redis_url),  # jobs and e-mails; the counters
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(app.config["MAIL_PORT"]),
        "PUBLIC_BASE_URL": "https://portale.example.it",
    } | extra


@pytest.fixture
def production(app, redis_url, tmp_path) -> dict:
    """The environment of the production server and its Celery worker (fresh rate-limit counters)."""
    redis.Redis.from_url(limits_url(redis_url)).flushdb()
    return production_env(app, redis_url, tmp_path)


@pytest.fixture
def production_worker(production, tmp_path):
    """A Celery worker of the production configuration: it sends the e-mails."""
    worker = services.start_worker(production, tmp_path / "worker.log", "production")
    yield worker
    worker.stop()


@pytest.fixture
def production_server(production):
    """gunicorn serving `wsgi:app` as the README's production section does, reached directly (no proxy)."""
    port = free_port()
    process = gunicorn(production, port)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded 2-core machine starts two workers slowly
    while True:
        try:
            if requests.get(f"{url}/healthz", timeout=10).status_code == 200:
                break
        except (requests.ConnectionError, requests.Timeout):
            pass
        assert process.poll() is None and time.monotonic() < deadline, process.stdout.read() if process.poll() else "no answer"
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)


class Attacker:
    """A script talking to gunicorn directly: it keeps the session cookie (sent back even though it is
    marked Secure, as curl would) and the form's token, and writes any header it likes."""

    def __init__(self, base: str, page: str):
        self.base = base
        answer = requests.get(base + page)
        self.cookie = answer.headers["Set-Cookie"].split(";", 1)[0]
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', answer.text).group(1)

    def post(self, path: str, n: int, **data) -> requests.Response:
        headers = {"Cookie": self.cookie, "X-Forwarded-For": f"203.0.113.{n}"}
        return requests.post(self.base + path, headers=headers, data={"csrf_token": self.token, **data}, allow_redirects=False)


def test_a_forged_x_forwarded_for_does_not_dodge_the_login_limit(app, db, production_server, make_user):
    user = make_user(Role.STAFF)
    attacker = Attacker(production_server, "/accedi")

    answers = [attacker.post("/accedi", n, email=user.email, password="sbagliata").status_code for n in range(40)]

    allowed = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    assert answers.count(422) == allowed and answers.count(429) == 40 - allowed  # counted once, for both workers


def test_the_audit_trail_keeps_the_real_address(app, db, production_server, make_user):
    user = make_user(Role.STAFF)

    signed_in = Attacker(production_server, "/accedi").post("/accedi", 1, email=user.email, password=PASSWORD)

    assert signed_in.status_code == 302

    db.session.expire_all()
    assert db.session.scalar(select(UserSession.ip).where(UserSession.user_id == user.id)) == "127.0.0.1"


def test_thirty_forged_addresses_do_not_send_thirty_reset_e_mails(app, db, production_server, production_worker, make_user,
                                                                   smtp):
    victim = make_user(Role.STAFF)
    attacker = Attacker(production_server, "/password/dimenticata")

    answers = [attacker.post("/password/dimenticata", n, email=victim.email).status_code for n in range(30)]

    per_client = int(app.config["RESET_RATE_LIMIT"].split()[0])
    per_address = int(app.config["RESET_ADDRESS_RATE_LIMIT"].split()[0])
    assert answers.count(302) == per_client and answers.count(429) == 30 - per_client
    deadline = time.monotonic() + 30  # the worker sends them after the answers
    while len(smtp.to(victim.email)) < per_address and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # and no more arrive
    assert len(smtp.to(victim.email)) == per_address


def test_production_refuses_to_start_with_per_process_counters(app, redis_url, tmp_path):
    process = gunicorn(production_env(app, redis_url, tmp_path, RATELIMIT_STORAGE_URI="memory://"), free_port())

    output, _ = process.communicate(timeout=120)

    assert process.returncode != 0 and "RATELIMIT_STORAGE_URI must be shared" in output


def test_behind_a_declared_proxy_the_forwarded_address_is_the_client(database_url, smtp_server, tmp_path, redis_url):
    """README's production section: TRUSTED_PROXIES=1 behind nginx, which sets X-Forwarded-For."""
    for hops, expected in ((0, "10.0.0.1"), (1, "198.51.100.7")):
        app = create_app(make_test_config(database_url, smtp_server[1], tmp_path) | {"TRUSTED_PROXIES": hops})

        @app.get("/chi-sono")
        def who():
            from flask import request

            return request.remote_addr

        who.access_rule = "public"
        client = app.test_client()
        answer = client.get("/chi-sono", headers={"X-Forwarded-For": "198.51.100.7"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert answer.get_data(as_text=True) == expected


# --- anonymous forms that create records or send e-mail --------------------------------------------

def test_membership_requests_are_throttled_per_client(app, db, client, smtp):
    allowed = int(app.config["JOIN_RATE_LIMIT"].split()[0])
    answers = [client.post("/aderisci", data=join_data(partita_iva=partita_iva(40 + n), codice_fiscale=partita_iva(40 + n)))
               for n in range(allowed + 3)]

    assert [a.status_code for a in answers] == [200] * allowed + [429] * 3
    assert db.session.scalar(select(func.count()).select_from(Company)) == allowed
    assert "Troppi tentativi" in answers[-1].get_data(as_text=True)


def test_a_mistyped_membership_request_does_not_use_up_the_allowance(app, db, client):
    bad = join_data(partita_iva="123")
    for _ in range(int(app.config["JOIN_RATE_LIMIT"].split()[0]) + 2):
        assert client.post("/aderisci", data=bad).status_code == 422

    assert client.post("/aderisci", data=join_data(partita_iva=partita_iva(60), codice_fiscale=partita_iva(60))).status_code == 200


def test_invitation_acceptance_is_throttled(app, client):
    allowed = int(app.config["INVITATION_RATE_LIMIT"].split()[0])
    answers = [client.post("/invito/non-un-invito", data={"name": "x"}).status_code for _ in range(allowed + 1)]
    assert answers[-1] == 429


def test_reset_requests_for_one_address_send_three_e_mails_an_hour(app, db, client, smtp, make_user):
    user = make_user(Role.STAFF)
    answers = [client.post("/password/dimenticata", data={"email": user.email}) for _ in range(5)]

    assert {a.status_code for a in answers} == {302}  # the same answer every time
    assert len(smtp.to(user.email)) == int(app.config["RESET_ADDRESS_RATE_LIMIT"].split()[0])
