"""Load test: 50 virtual users for 60 s over a realistic mix, against gunicorn on PostgreSQL.

Starts a throw-away PostgreSQL server with the demo data, Redis, the portal under gunicorn (same
settings as `page_overhead.py`) and one Celery worker for the bulk checks, on loopback. Each virtual user is a thread with its own session
(several share a demo account where the demo has too few) and loops over its role's actions,
with a short pause between them:

- anonymous: public home, register search, certificate verification, register JSON, public
  proposals, the tariff calculator;
- company (Voce Chiara's draft application): list and open applications, save an answer's note;
- auditor (valutatore1 and valutatore2 on Contatto Sud's application under review): open the
  application, save a score with its comment;
- tariffs (one company each): a single check saved to the history, the history page;
- bulk: upload a 20-row XLSX price list and follow the batch until it is done;
- staff: proposals, a proposal, applications, the Bollino Blu dashboard, the tariff history.

Every POST carries the CSRF token scraped from its form; every write carries a unique token
(comment, note or client name) that the script remembers. At the end it reads every record it
wrote from the database: an acknowledged write (a redirect) whose effect is not there is a lost
write. A score or answer may be saved by several users (optimistic locking): a refusal with the
"saved meanwhile" message is a conflict, not an error; for those records each acknowledged write
must have raised the version by one and the final value must be one of the last acknowledged.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--log gunicorn.log]

Prints requests, p50/p95/p99 per kind and overall; the last line is `5xx=... lost_writes=... rps=...`.
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from bench.servers import GUNICORN, csrf_token, input_value, opener, portal_database, serve, sign_in, workers  # noqa: E402

# One role per slot, repeated: for 10 users 3 anonymous, 2 company, 2 auditors, 1 tariffs, 1 bulk, 1 staff.
ROLE_CYCLE = ["anonymous", "company", "auditor", "anonymous", "tariffs", "auditor", "company", "staff", "anonymous", "bulk"]
ACCOUNTS = {
    "company": ["admin@voce.demo", "utente@voce.demo"],
    "auditor": ["valutatore1@assocontact.demo", "valutatore2@assocontact.demo"],
    "tariffs": [f"{who}@{slug}.demo" for who in ("admin", "utente")
                for slug in ("contatto", "relazioni", "ascolto", "linea", "nuove", "customer", "servizi", "interazioni")],
    "bulk": ["admin@interazioni.demo", "admin@servizi.demo", "admin@customer.demo"],
    "staff": ["staff@assocontact.demo", "staff2@assocontact.demo", "admin@assocontact.demo"],
}
THINK_SECONDS = (0.1, 0.5)
BULK_ROWS = 20
CONFLICT_MARKERS = ("Nel frattempo", "mentre la modificavi")
SEARCH_WORDS = ["", "Roma", "Voce", "Cagliari", "Sud", "BB-2025"]
REGIONS = ["", "Lazio", "Sardegna", "Sicilia"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect itself is the answer to time and to judge (a write's acknowledgement)


@dataclass
class Response:
    status: int
    text: str
    location: str = ""


@dataclass
class Write:
    record: tuple  # ("score", score_id) / ("answer", answer_id) / ("check", token) / ("batch", token)
    token: str
    start: float
    end: float


@dataclass
class Tally:
    """Everything the users measured; shared between threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict = field(default_factory=lambda: defaultdict(list))
    server_errors: list = field(default_factory=list)
    other_errors: list = field(default_factory=list)
    conflicts: int = 0
    writes: list = field(default_factory=list)

    def add(self, kind: str, seconds: float, status: int, path: str, expected: tuple, conflict: bool) -> None:
        with self.lock:
            self.timings[kind].append(seconds)
            if status >= 500:
                self.server_errors.append((kind, status, path))
            elif conflict:
                self.conflicts += 1
            elif status not in expected:
                self.other_errors.append((kind, status, path))

    def add_failure(self, kind: str, message: str) -> None:
        with self.lock:
            self.other_errors.append((kind, "client", message))

    def acknowledge(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)


@dataclass
class Fixture:
    """What the demo data holds that the users need, read from the database before the run."""

    draft_id: int
    answers: list  # (answer_id, parameter_id, area code, value)
    review_id: int
    assignments: dict  # auditor e-mail -> (assignment_id, [(score_id, parameter_id)])
    scale_max: int
    certificates: list
    proposals: list
    versions: dict  # ("score"|"answer", id) -> version before the run


class User:
    def __init__(self, base: str, tally: Tally, fixture: Fixture, role: str, email: str | None, number: int,
                 source: str | None = None):
        self.base, self.tally, self.fixture, self.role, self.email, self.number = base, tally, fixture, role, email, number
        self.opener = opener(NoRedirect, source=source)
        self.writes = 0

    def call(self, kind: str, path: str, data: bytes | None = None, headers: dict | None = None,
             expected: tuple = (200,), conflict_possible: bool = False) -> Response:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as answer:
                response = Response(answer.status, answer.read().decode(errors="replace"))
        except urllib.error.HTTPError as answer:
            response = Response(answer.code, answer.read().decode(errors="replace"), answer.headers.get("Location", ""))
        except OSError as exc:
            response = Response(0, str(exc))
        conflict = conflict_possible and response.status in (409, 422) and any(m in response.text for m in CONFLICT_MARKERS)
        self.tally.add(kind, time.perf_counter() - start, response.status, path, expected, conflict)
        return response

    def post(self, kind: str, path: str, fields: dict, conflict_possible: bool = False) -> Response:
        return self.call(kind, path, urllib.parse.urlencode(fields).encode(), expected=(302, 303),
                         conflict_possible=conflict_possible)

    def token(self) -> str:
        self.writes += 1
        return f"load-{self.number}-{self.writes}-{uuid.uuid4().hex[:6]}"

    def run(self, deadline: float) -> None:
        actions = getattr(self, f"{self.role}_actions")()
        while time.monotonic() < deadline:
            action = random.choice(actions)
            try:
                action()
            except Exception as exc:  # a page without the form or field it should have: an error, and go on
                self.tally.add_failure(self.role, repr(exc))
            time.sleep(random.uniform(*THINK_SECONDS))

    def acknowledge_if_redirected(self, response: Response, record: tuple, token: str, start: float) -> None:
        if response.status in (302, 303):
            self.tally.acknowledge(Write(record, token, start, time.monotonic()))

    # --- anonymous -------------------------------------------------------------------------------

    def anonymous_actions(self) -> list:
        fixture = self.fixture
        return [
            lambda: self.call("public home", "/"),
            lambda: self.call("register search", "/bollino/registro?" + urllib.parse.urlencode(
                {"q": random.choice(SEARCH_WORDS), "regione": random.choice(REGIONS)})),
            lambda: self.call("register search", "/bollino/registro.json?q=" + random.choice(SEARCH_WORDS)),
            lambda: self.call("certificate verify", f"/bollino/registro/{random.choice(fixture.certificates)}"),
            lambda: self.call("public proposals", "/reshoring/proposte-pubbliche"),
            lambda: self.call("calculator", "/tariffe/verifica?" + urllib.parse.urlencode(calculator_input())),
        ]

    # --- company: the draft application --------------------------------------------------------

    def company_actions(self) -> list:
        draft = self.fixture.draft_id
        return [
            lambda: self.call("applications", "/bollino/domande"),
            lambda: self.call("application", f"/bollino/domande/{draft}"),
            self.save_answer, self.save_answer,
        ]

    def save_answer(self) -> None:
        answer_id, pid, area, value = random.choice(self.fixture.answers)
        path = f"/bollino/domande/{self.fixture.draft_id}/aree/{area}"
        page = self.call("answer form", path)
        if page.status != 200:
            return
        token, start = self.token(), time.monotonic()
        response = self.post("answer save", path, {
            "csrf_token": csrf_token(page.text), f"value_{pid}": value, f"note_{pid}": token,
            f"version_{pid}": input_value(page.text, f"version_{pid}"),
        }, conflict_possible=True)
        self.acknowledge_if_redirected(response, ("answer", answer_id), token, start)

    # --- auditor: scores -------------------------------------------------------------------------

    def auditor_actions(self) -> list:
        review = self.fixture.review_id
        return [
            lambda: self.call("applications", "/bollino/domande"),
            lambda: self.call("application", f"/bollino/domande/{review}"),
            self.save_score, self.save_score,
        ]

    def save_score(self) -> None:
        assignment_id, scores = self.fixture.assignments[self.email]
        score_id, pid = random.choice(scores)
        path = f"/bollino/incarichi/{assignment_id}/valutazione"
        page = self.call("scoring form", path)
        if page.status != 200:
            return
        token, start = self.token(), time.monotonic()
        response = self.post("score save", path, {
            "csrf_token": csrf_token(page.text), f"score_{pid}": random.randint(0, self.fixture.scale_max),
            f"comment_{pid}": token, f"version_{pid}": input_value(page.text, f"version_{pid}"),
        }, conflict_possible=True)
        self.acknowledge_if_redirected(response, ("score", score_id), token, start)

    # --- tariffs: single checks and bulk lists ---------------------------------------------------

    def tariffs_actions(self) -> list:
        return [self.save_check, self.save_check, lambda: self.call("tariff history", "/tariffe/verifiche")]

    def save_check(self) -> None:
        values = calculator_input()
        page = self.call("calculator", "/tariffe/verifica?" + urllib.parse.urlencode(values))
        if page.status != 200:
            return
        token, start = self.token(), time.monotonic()
        response = self.post("check save", "/tariffe/verifica/salva",
                             {"csrf_token": csrf_token(page.text), **values, "cliente": token, "settore": ""})
        self.acknowledge_if_redirected(response, ("check", token), token, start)

    def bulk_actions(self) -> list:
        return [self.upload_bulk]

    def upload_bulk(self) -> None:
        page = self.call("bulk form", "/tariffe/verifiche/massiva")
        if page.status != 200:
            return
        token, start = self.token(), time.monotonic()
        body, content_type = multipart({"csrf_token": csrf_token(page.text), "cliente": token, "settore": ""},
                                       "file", f"{token}.xlsx", price_list_xlsx(BULK_ROWS))
        response = self.call("bulk upload", "/tariffe/verifiche/massiva", body, {"Content-Type": content_type},
                             expected=(302, 303))
        self.acknowledge_if_redirected(response, ("batch", token), token, start)
        if response.location:
            batch = urllib.parse.urlsplit(response.location).path
            for _ in range(20):
                status = self.call("bulk status", batch + "/stato")
                if status.status != 200 or '"done"' in status.text or '"failed"' in status.text:
                    break
                time.sleep(0.5)
            self.call("bulk result", batch)

    # --- staff -----------------------------------------------------------------------------------

    def staff_actions(self) -> list:
        fixture = self.fixture
        return [
            lambda: self.call("proposals", "/reshoring/proposte"),
            lambda: self.call("proposal", f"/reshoring/proposte/{random.choice(fixture.proposals)}"),
            lambda: self.call("applications", "/bollino/domande"),
            lambda: self.call("dashboard", "/bollino/cruscotto"),
            lambda: self.call("tariff history", "/tariffe/verifiche"),
        ]


def calculator_input() -> dict:
    """A per-minute or per-contact rate of level 2-4, around the labour cost."""
    per_contact = random.random() < 0.3
    rate = random.uniform(2.0, 3.5) if per_contact else random.uniform(0.35, 0.65)
    return {"livello": random.choice(["2", "3", "4"]), "tariffa": f"{rate:.4f}".replace(".", ","),
            "unita": "contatto" if per_contact else "minuto", "aht": "240" if per_contact else "",
            "ore_produttive": "", "data": f"2026-{random.randint(1, 10):02d}-15"}


def price_list_xlsx(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["riga_id", "livello", "tariffa", "unita", "data", "aht_secondi"])
    for n in range(1, rows + 1):
        values = calculator_input()
        sheet.append([f"R{n}", values["livello"], values["tariffa"], values["unita"], "15/06/2026", values["aht"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- the database: what to use before the run, what was written after it ---------------------

def dsn(env: dict) -> str:
    return env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")


def read_fixture(conn) -> Fixture:
    draft_id = conn.execute("SELECT id FROM cert_application WHERE state = 'draft' ORDER BY id LIMIT 1").fetchone()[0]
    answers = conn.execute(
        "SELECT a.id, p.id, ar.code, a.value FROM cert_answer a JOIN cert_parameter p ON p.id = a.parameter_id "
        "JOIN cert_area ar ON ar.id = p.area_id WHERE a.application_id = %s ORDER BY p.id", (draft_id,)).fetchall()
    review_id, round_ = conn.execute(
        "SELECT id, round FROM cert_application WHERE state = 'under_review' ORDER BY id LIMIT 1").fetchone()
    assignments = {}
    for email in ACCOUNTS["auditor"]:
        assignment_id = conn.execute(
            "SELECT s.id FROM cert_assignment s JOIN user_account u ON u.id = s.auditor_id "
            "WHERE s.application_id = %s AND u.email = %s", (review_id, email)).fetchone()[0]
        scores = conn.execute("SELECT id, parameter_id FROM cert_score WHERE assignment_id = %s AND round = %s ORDER BY id",
                              (assignment_id, round_)).fetchall()
        assignments[email] = (assignment_id, scores)
    versions = {("answer", row[0]): row[1] for row in conn.execute(
        "SELECT id, version FROM cert_answer WHERE application_id = %s", (draft_id,))}
    versions |= {("score", row[0]): row[1] for row in conn.execute(
        "SELECT id, version FROM cert_score WHERE assignment_id = ANY(%s)", ([a for a, _ in assignments.values()],))}
    return Fixture(
        draft_id=draft_id, answers=answers, review_id=review_id, assignments=assignments,
        scale_max=conn.execute("SELECT scale_max FROM cert_edition ORDER BY id LIMIT 1").fetchone()[0],
        certificates=[row[0] for row in conn.execute("SELECT number FROM cert_certificate")],
        proposals=[row[0] for row in conn.execute("SELECT id FROM reshoring_proposal")],
        versions=versions,
    )


def declare_pending_assignments(base: str, conn) -> None:
    """The demo leaves valutatore2's assignment pending: declare no conflict, as the auditor would, before scoring."""
    pending = conn.execute("SELECT u.email, s.id FROM cert_assignment s JOIN user_account u ON u.id = s.auditor_id "
                           "WHERE u.email = ANY(%s) AND s.status = 'pending'", (ACCOUNTS["auditor"],)).fetchall()
    for email, assignment_id in pending:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        sign_in(opener, base, email)
        path = f"{base}/bollino/incarichi/{assignment_id}/dichiarazione"
        page = opener.open(path).read().decode()
        data = {"d-csrf_token": csrf_token(page, "d-csrf_token"), "d-statement": "y"}
        opener.open(path, data=urllib.parse.urlencode(data).encode()).read()


def wait_for_batches(conn, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not conn.execute("SELECT count(*) FROM tariff_batch WHERE status IN ('queued', 'running')").fetchone()[0]:
            return
        time.sleep(1)


def versioned_lost(writes: list[Write], final_token: str, version_delta: int) -> int:
    """Writes of one score or answer lost: each acknowledged save raises the version by one, and the
    stored value is one of the saves that no other acknowledged save followed in time."""
    last = [w for w in writes if not any(other.start > w.end for other in writes)]
    lost = max(len(writes) - version_delta, 0)
    if final_token not in {w.token for w in last}:
        lost = max(lost, 1)
    return lost


def count_lost_writes(conn, writes: list[Write], versions_before: dict) -> tuple[int, list]:
    by_record = defaultdict(list)
    for write in writes:
        by_record[write.record].append(write)
    stored = {("answer", row[0]): (row[1], row[2]) for row in conn.execute("SELECT id, note, version FROM cert_answer")}
    stored |= {("score", row[0]): (row[1], row[2]) for row in conn.execute("SELECT id, comment, version FROM cert_score")}
    checks = defaultdict(int)
    for (name,) in conn.execute("SELECT client_name FROM tariff_check WHERE batch_id IS NULL"):
        checks[name] += 1
    batches = {row[0]: row[1:] for row in conn.execute(
        "SELECT b.client_name, b.status, b.total_rows, (SELECT count(*) FROM tariff_check c WHERE c.batch_id = b.id) "
        "FROM tariff_batch b")}
    lost, details = 0, []
    for record, record_writes in by_record.items():
        kind = record[0]
        if kind in ("answer", "score"):
            token, version = stored[record]
            missing = versioned_lost(record_writes, token, version - versions_before[record])
        elif kind == "check":
            missing = int(checks.get(record[1], 0) != 1)
        else:
            status, total, saved = batches.get(record[1], ("missing", 0, 0))
            missing = int(status != "done" or total != BULK_ROWS or saved != BULK_ROWS)
        if missing:
            lost += missing
            details.append((record, missing))
    return lost, details


# --- running and reporting ---------------------------------------------------------------------

def make_users(base: str, tally: Tally, fixture: Fixture, count: int, own_addresses: bool = False) -> list[User]:
    """`own_addresses`: each user connects from its own loopback address, as distinct clients would."""
    turns = defaultdict(int)
    users = []
    for number in range(count):
        role = ROLE_CYCLE[number % len(ROLE_CYCLE)]
        accounts = ACCOUNTS.get(role)
        email = accounts[turns[role] % len(accounts)] if accounts else None
        turns[role] += 1
        source = f"127.0.{2 + number // 250}.{1 + number % 250}" if own_addresses else None
        users.append(User(base, tally, fixture, role, email, number, source))
    with ThreadPoolExecutor(8) as pool:  # sign-ins before the clock starts
        list(pool.map(lambda u: sign_in(u.opener, base, u.email), [u for u in users if u.email]))
    return users


def run_users(users: list[User], seconds: float) -> float:
    """Every user in its own thread until the deadline; the seconds until the last one finished."""
    start = time.monotonic()
    threads = [threading.Thread(target=user.run, args=(start + seconds,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start


def quantiles_ms(timings: list[float]) -> tuple[float, float, float]:
    if len(timings) < 2:
        return (timings[0] * 1000,) * 3 if timings else (0.0, 0.0, 0.0)
    q = statistics.quantiles(timings, n=100, method="inclusive")
    return q[49] * 1000, q[94] * 1000, q[98] * 1000


def report(tally: Tally, elapsed: float, lost: int, details: list, users: list[User]) -> None:
    roles = defaultdict(int)
    for user in users:
        roles[user.role] += 1
    print(f"{len(users)} users for {elapsed:.0f} s ({', '.join(f'{n} {r}' for r, n in roles.items())}), "
          f"gunicorn {' '.join(GUNICORN[1:5])}, PostgreSQL")
    print(f"{'kind':<20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    everything = []
    for kind in sorted(tally.timings):
        timings = tally.timings[kind]
        everything += timings
        print(f"{kind:<20} {len(timings):>8} " + " ".join(f"{v:8.1f}" for v in quantiles_ms(timings)))
    print(f"{'overall':<20} {len(everything):>8} " + " ".join(f"{v:8.1f}" for v in quantiles_ms(everything)))
    rps = len(everything) / elapsed
    kinds = defaultdict(int)
    for write in tally.writes:
        kinds[write.record[0]] += 1
    print(f"total requests {len(everything)}, {rps:.1f} requests/s")
    print(f"acknowledged writes {len(tally.writes)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}); "
          f"conflicts (saved meanwhile by another user) {tally.conflicts}")
    for label, errors in (("5xx", tally.server_errors), ("other errors", tally.other_errors)):
        print(f"{label}: {len(errors)}" + "".join(f"\n  {kind} {status} {path}" for kind, status, path in errors[:10]))
    print(f"lost writes: {lost}" + "".join(f"\n  {record} {n}" for record, n in details[:10]))
    print(f"5xx={len(tally.server_errors)} errors={len(tally.other_errors)} conflicts={tally.conflicts} "
          f"lost_writes={lost} rps={rps:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--log", type=Path, help="keep gunicorn's log (errors and tracebacks) in this file")
    args = parser.parse_args()
    with portal_database("load") as env, psycopg.connect(dsn(env), autocommit=True) as conn, \
            tempfile.NamedTemporaryFile("w+", suffix=".log") as temporary_log, tempfile.TemporaryDirectory() as folder, \
            workers(env, Path(folder)):
        log = args.log.open("w+") if args.log else temporary_log
        portal, base = serve("wsgi:app", env, log)
        try:
            declare_pending_assignments(base, conn)
            fixture = read_fixture(conn)
            tally = Tally()
            users = make_users(base, tally, fixture, args.users)
            elapsed = run_users(users, args.seconds)
            wait_for_batches(conn)
            lost, details = count_lost_writes(conn, tally.writes, fixture.versions)
        finally:
            portal.terminate()
            portal.wait(timeout=30)
        if tally.server_errors:
            log.seek(0)
            print("gunicorn log (last 40 lines):\n" + "".join(log.readlines()[-40:]))
        report(tally, elapsed, lost, details, users)


if __name__ == "__main__":
    main()
