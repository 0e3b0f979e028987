"""The portal under gunicorn on a throw-away PostgreSQL server, for the benchmarks that need it.

`portal_database()` starts PostgreSQL (`tests/pgserver.py`) and builds the schema with the
migrations and the demo data; `serve()` runs a WSGI app under gunicorn on a free loopback port;
`sign_in()` signs a demo account in through the login form, CSRF token included.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pgserver, redisserver  # noqa: E402

GUNICORN = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--threads", "4", "--log-level", "warning"]
DEMO_PASSWORD = "Assocontact-demo-2026"  # portal/members/demo.py: every demo account


@contextmanager
def portal_database(name: str = "bench"):
    """Yield the environment of a production-like portal on a fresh database with the demo data
    (loaded as in development: `flask demo` refuses production), its rate limits in a Redis."""
    with pgserver.running_server() as base_url, redisserver.redis_server() as redis_url, \
            tempfile.TemporaryDirectory() as instance:
        from portal.certification.signing import create_demo_identity

        signing = create_demo_identity(Path(instance) / "signing")  # production refuses to start without a signing key
        env = {**os.environ, "DATABASE_URL": pgserver.create_database(base_url, name), "PORTAL_ENV": "production",
               "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI": redis_url, "MAIL_SERVER": "127.0.0.1",
               "MAIL_PORT": str(pgserver.free_port()),  # nobody listens: an e-mail waits in the outbox
               "PORTAL_INSTANCE_PATH": instance, "LOGIN_RATE_LIMIT": "1000 per minute", "PUBLIC_BASE_URL": "http://127.0.0.1",
               "CERT_SIGNING_KEY": str(signing["key"]), "CERT_SIGNING_CERT": str(signing["cert"]),
               "CERT_SIGNING_CHAIN": str(signing["root"])}
        flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "portal"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "demo"], cwd=ROOT, env=env | {"PORTAL_ENV": "development"}, check=True, capture_output=True)
        yield env


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """The benchmarks talk plain HTTP to gunicorn on loopback, standing in for the TLS proxy:
    they send back the session cookie although production marks it Secure (`__Host-`)."""

    def return_ok_secure(self, cookie, request):
        return True


def cookie_jar() -> http.cookiejar.CookieJar:
    return http.cookiejar.CookieJar(LoopbackCookies())


def serve(app_spec: str, env: dict, log=None) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on a free loopback port (its output to `log`, a file, when given) and wait for it."""
    port = pgserver.free_port()
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", app_spec], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"{app_spec} did not start")


def input_value(page: str, name: str) -> str:
    """The value of the page's input called `name` (a form's CSRF token, a hidden version)."""
    return re.search(f'<input[^>]* name="{re.escape(name)}"[^>]* value="([^"]*)"', page).group(1)


def csrf_token(page: str, name: str = "csrf_token") -> str:
    """The token of the page's form (`name` is prefixed for forms with a prefix, e.g. `d-csrf_token`)."""
    return input_value(page, name)


def sign_in(opener, base: str, email: str) -> None:
    """Sign in through the form; works whether the opener follows redirects or not."""
    token = csrf_token(opener.open(base + "/accedi").read().decode())
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode()
    try:
        with opener.open(base + "/accedi", data=data) as response:
            landed = response.url
    except urllib.error.HTTPError as answer:  # an opener that does not follow redirects
        if answer.code not in (302, 303):
            raise
        landed = answer.headers["Location"]
    if urllib.parse.urlsplit(landed).path == "/accedi":
        raise RuntimeError(f"{email} could not sign in")
