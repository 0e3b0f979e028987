"""The portal under gunicorn on a throw-away PostgreSQL server, for the benchmarks that need it.

`portal_database()` starts PostgreSQL (`tests/pgserver.py`) and Redis (`tests/services.py`) and
builds the schema with the migrations and the demo data; `serve()` runs a WSGI app under
gunicorn on a free loopback port; `workers()` runs Celery workers for its jobs; `sign_in()` signs
a demo account in through the login form, CSRF token included; `opener()` is a client with its
own cookies and, when given, its own loopback address (the login limit counts per address).
"""

import functools
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pgserver, services  # noqa: E402

GUNICORN = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--threads", "4", "--log-level", "warning"]
DEMO_PASSWORD = "Assocontact-demo-2026"  # portal/members/demo.py: every demo account


def signing_env(folder: Path) -> dict:
    """The demo signing identity a production configuration requires (portal/certification/signing.py)."""
    from portal.certification.signing import create_demo_identity

    files = create_demo_identity(folder)
    return {"CERT_SIGNING_KEY": str(files["key"]), "CERT_SIGNING_CERT": str(files["cert"]),
            "CERT_SIGNING_CHAIN": str(files["root"])}


@contextmanager
def portal_database(name: str = "bench"):
    """Yield the environment of a production-like portal on a fresh database with the demo data."""
    with pgserver.running_server() as base_url, services.redis_server() as redis_url, \
            tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "DATABASE_URL": pgserver.create_database(base_url, name), "PORTAL_ENV": "production",
               "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": "0", "MAIL_BACKEND": "console",
               "PORTAL_INSTANCE_PATH": instance, "UPLOAD_FOLDER": f"{instance}/uploads", "REDIS_URL": redis_url,
               "RATELIMIT_STORAGE_URI": redis_url.removesuffix("/0") + "/1", "LOGIN_RATE_LIMIT": "1000 per minute",
               "LOG_LEVEL": "WARNING", "PUBLIC_BASE_URL": "http://127.0.0.1", **signing_env(Path(instance) / "signing")}
        flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "portal"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        yield env


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


@contextmanager
def workers(env: dict, folder: Path, count: int = 1, beat: bool = False):
    """Celery workers (one process each) and, if asked, beat; yields them, kills them after."""
    with ExitStack() as stack:
        started = [services.start_worker(env, folder / f"worker{n}.log", f"w{n}") for n in range(1, count + 1)]
        if beat:
            started.append(services.start_beat(env, folder / "beat.log", folder))
        for worker in started:
            stack.callback(worker.stop)
        yield started


class SourceAddress(urllib.request.HTTPHandler):
    """Connect from a chosen loopback address (127.0.0.x): each virtual user is its own client."""

    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def http_open(self, request):
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.address, 0)), request)


def opener(*handlers, source: str | None = None):
    """A client with its own cookies (and its own loopback address when `source` is given)."""
    extra = [SourceAddress(source)] if source else []
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), *extra, *handlers)


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
