"""A server killed with kill -9 in the middle of an upload (a worker killed in the middle of a
bulk check: tests/jobs/test_worker_killed.py).

The portal runs under gunicorn in a subprocess on loopback, on the test database (SQLite file or
the throw-away PostgreSQL), with its own temporary folder. A company user signs in, then a
price list is sent over a raw socket, slowly enough to kill the server while it is reading the
body. Afterwards the database and the folders are read directly. (The database-down and
SMTP-down faults are in tests/test_core.py and tests/test_mail.py.)
"""

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.extensions import db
from portal.tariffs.models import RateBatch, RateCheck
from portal.uploads import StoredFile
from tests import pgserver
from tests.conftest import PASSWORD, wait_for
from tests.services import child_pids
from tests.tariffs.conftest import tables  # noqa: F401  (fixture)
from tests.tariffs.files import RATES_HEADER

ROOT = Path(__file__).resolve().parents[1]
UPLOAD_URL = "/tariffe/verifiche/massiva"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc to see what the server holds")


class Portal:
    """gunicorn serving wsgi:app in a process group of its own, so that one kill -9 takes the
    master and its worker at once, as a power cut or the OOM killer would."""

    def __init__(self, env: dict, temp_folder: Path):
        self.env, self.temp_folder = env, temp_folder
        self.process = None
        self.url = ""

    def start(self) -> None:
        port = pgserver.free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "2", "--log-level", "warning",
                   "--bind", f"127.0.0.1:{port}", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True,
                                        stdout=subprocess.DEVNULL)
        assert wait_for(self._answers, timeout=60), "gunicorn did not start"

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url + "/", timeout=2).read()
            return True
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def reading_a_body(self) -> bool:
        """A worker holds a temporary file: werkzeug spools a large multipart body there while it reads it."""
        for pid in child_pids(self.process.pid):
            for fd in Path(f"/proc/{pid}/fd").glob("*"):
                try:
                    if os.readlink(fd).startswith(str(self.temp_folder)):
                        return True
                except OSError:
                    continue
        return False


@pytest.fixture
def portal(app, database_url, tmp_path):
    temp_folder = tmp_path / "server-tmp"
    temp_folder.mkdir()
    (tmp_path / "metrics").mkdir()  # gunicorn's Prometheus files, kept apart from what the test watches
    env = {
        **os.environ, "PORTAL_ENV": "development", "DATABASE_URL": database_url, "SECRET_KEY": "faults-test",
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "TMPDIR": str(temp_folder), "MAIL_BACKEND": "console",
        "RATELIMIT_STORAGE_URI": "memory://", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    server = Portal(env, temp_folder)
    yield server
    server.kill()


@pytest.fixture
def member(make_company, make_user):
    user = make_user(Role.APPLICANT, company=make_company())
    db.session.commit()
    return user


def sign_in(base: str, email: str) -> tuple[str, str]:
    """The session cookie and the CSRF token of the upload form, after signing in through the form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = CSRF.search(opener.open(base + "/accedi").read().decode()).group(1)
    opener.open(base + "/accedi", data=urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode())
    token = CSRF.search(opener.open(base + UPLOAD_URL).read().decode()).group(1)
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def price_list(rows: int) -> bytes:
    lines = [RATES_HEADER] + [f"R{n};3;0,{4500 + n % 400};minuto;01/03/2019;" for n in range(rows)]
    return "\n".join(lines).encode()


def begin_upload(base: str, cookie: str, token: str, data: bytes) -> tuple[socket.socket, bytes]:
    """Send the headers and the start of a multipart upload; return the socket and what is left."""
    boundary = "faults-boundary-7f3a"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"cliente\"\r\n\r\nINPS\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"listino.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    address = urllib.parse.urlsplit(base)
    request = (f"POST {UPLOAD_URL} HTTP/1.1\r\nHost: {address.netloc}\r\nCookie: {cookie}\r\nReferer: {base}{UPLOAD_URL}\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    connection = socket.create_connection((address.hostname, address.port))
    half = len(body) // 2
    connection.sendall(request + body[:half])
    return connection, body[half:]


def count(model) -> int:
    return read(select(func.count()).select_from(model))[0][0]


def read(statement) -> list:
    """A fresh connection each time: what the server committed, not what this session remembers."""
    with db.engine.connect() as connection:
        return connection.execute(statement).all()


def stored_files(folder: str) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())


def test_a_server_killed_mid_upload_leaves_no_half_record(app, portal, member):
    portal.start()
    cookie, token = sign_in(portal.url, member.email)
    connection, rest = begin_upload(portal.url, cookie, token, price_list(60_000))  # about 1.7 MB

    assert wait_for(portal.reading_a_body, timeout=30), "the server never started reading the upload"
    portal.kill()
    connection.close()

    assert (count(StoredFile), count(RateBatch), count(RateCheck)) == (0, 0, 0)
    assert stored_files(app.config["UPLOAD_FOLDER"]) == []  # not even a .part file
    assert list(portal.temp_folder.iterdir()) == []

    # The same upload, sent whole to a restarted server, is stored: the checks above can fail.
    portal.start()
    cookie, token = sign_in(portal.url, member.email)
    connection, rest = begin_upload(portal.url, cookie, token, price_list(60_000))
    connection.sendall(rest)
    status_line = connection.makefile("rb").readline()
    connection.close()
    assert b" 302 " in status_line
    assert count(StoredFile) >= 1 and count(RateBatch) == 1
    assert len(stored_files(app.config["UPLOAD_FOLDER"])) >= 1
