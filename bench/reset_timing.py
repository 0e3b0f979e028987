"""Does the forgot-password form tell which e-mails have an account, by its timing? (finding 6)

Serves the portal (werkzeug, threaded, SQLite in a temporary folder) with a real SMTP server on
loopback that takes DELAY seconds to accept a message, as a distant mail server does; posts the
form ROUNDS times for an existing account and for an unknown address, alternating, and prints the
median and 90th percentile of each side as the user waits (the whole HTTP answer).

    .venv/bin/python bench/reset_timing.py [ROUNDS] [DELAY]

The last line is the difference of the medians (existing - unknown), in milliseconds.
"""

import asyncio
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from portal import create_app  # noqa: E402
from portal.access import Role  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.members.models import User  # noqa: E402
from tests.pgserver import free_port  # noqa: E402

EXISTING, UNKNOWN = "stefano@example.it", "nessuno@example.it"


class SlowMailServer:
    def __init__(self, delay: float):
        self.delay, self.received = delay, 0

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.received += 1
        return "250 OK"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def timed_post(opener, url: str, email: str) -> float:
    data = urllib.parse.urlencode({"email": email}).encode()
    start = time.perf_counter()
    try:
        opener.open(url, data=data).read()
    except urllib.error.HTTPError as answer:  # the redirect to the login page
        answer.read()
    return time.perf_counter() - start


def serve(folder: str, smtp_port: int, port: int) -> None:
    """The portal in a process of its own (the client's timing must not share its interpreter)."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/portal.db",
                      "UPLOAD_FOLDER": folder, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "PUBLIC_BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        db.create_all()
        user = User(email=EXISTING, name="Stefano Staff", role=Role.STAFF)
        user.set_password("una frase lunga per la prova")
        db.session.add(user)
        db.session.commit()
    make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietHandler).serve_forever()


def main(rounds: int, delay: float) -> None:
    mail = SlowMailServer(delay)
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    smtp.start()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = multiprocessing.get_context("fork").Process(target=serve, args=(folder, smtp.port, port), daemon=True)
        server.start()
        url = f"http://127.0.0.1:{port}/password/dimenticata"
        opener = urllib.request.build_opener(NoRedirect)
        for _ in range(300):
            try:
                urllib.request.urlopen(url.replace("/password/dimenticata", "/salute"), timeout=1)
                break
            except OSError:
                if not server.is_alive():
                    raise RuntimeError(f"the portal stopped (exit code {server.exitcode})") from None
                time.sleep(0.1)
        timings = {EXISTING: [], UNKNOWN: []}
        for email in (EXISTING, UNKNOWN) * 3:  # warm up
            timed_post(opener, url, email)
        for _ in range(rounds):
            for email in random.sample((EXISTING, UNKNOWN), 2):  # in either order
                timings[email].append(timed_post(opener, url, email))
                time.sleep(delay + 0.05)
        deadline = time.monotonic() + 60
        while mail.received < rounds + 3 and time.monotonic() < deadline:  # the last e-mails leave after their answers
            time.sleep(0.1)
        server.terminate()
        server.join()
    smtp.stop()
    for email, label in ((EXISTING, "existing account"), (UNKNOWN, "unknown address")):
        values = sorted(timings[email])
        print(f"{label:17} median {statistics.median(values) * 1000:7.2f} ms   p90 {values[int(len(values) * 0.9)] * 1000:7.2f} ms")
    print(f"e-mails received: {mail.received} (mail server delay {delay * 1000:.0f} ms)")
    difference = (statistics.median(timings[EXISTING]) - statistics.median(timings[UNKNOWN])) * 1000
    print(f"difference of the medians: {difference:+.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, float(sys.argv[2]) if len(sys.argv) > 2 else 0.2)
