"""Benchmark of the bulk rate check as the user waits: `python bench/tariffs_bulk.py [ROWS]` (default 100,000).

Generates a rates file like a tender price list, then measures in one run:
- a plain `csv` parse of the file (best of three): the yardstick;
- the portal's check alone, in memory (read, parse, verdicts, figures; best of three);
- end to end through the web, on the production setup (gunicorn 2 workers x 4 threads,
  PostgreSQL with the demo data, a company admin signed in): the upload, until the verdicts are
  on the batch page; then until every download (CSV, XLSX, PDF report) has been received whole;
- the peak memory of the gunicorn workers (VmHWM), which must not grow with the list.
Prints the figures; the last line is the end-to-end ratio to the plain parse (goals: verdicts on
the page within 3 s, every download within 6 s). `--solo-memoria` skips the web part (the suite
runs the script that way, on a small file, to keep it working).
"""

import csv
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import DEMO_PASSWORD, csrf_token, portal_database, serve  # noqa: E402
from portal.tariffs.bulk import check_file, verdict_counts  # noqa: E402
from portal.tariffs.demo_tables import DEMO_UPLIFT, demo_table_rows  # noqa: E402
from portal.tariffs.lookup import TableIndex, UpliftIndex  # noqa: E402
from portal.tariffs.rates import LEVELS  # noqa: E402

UNITS = (("minuto", 0.30, 0.70), ("ora", 18, 40), ("contatto", 0.8, 3.5), ("fte_mese", 2400, 4200))
MEMBER = "admin@voce.demo"


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    rnd = random.Random(seed)
    start = date(2019, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("riga_id;livello;tariffa;unita;data;aht_secondi\n")
        for n in range(1, rows + 1):
            unit, low, high = rnd.choice(UNITS)
            rate = f"{rnd.uniform(low, high):.4f}".replace(".", ",")
            day = start + timedelta(days=rnd.randrange(0, 2500))
            aht = str(rnd.randrange(90, 420)) if unit == "contatto" else ""
            f.write(f"R{n};{rnd.choice(LEVELS)};{rate};{unit};{day:%d/%m/%Y};{aht}\n")


def plain_parse(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f, delimiter=";"))


def best_of(job, runs: int = 3):
    """The fastest of a few runs (a shared machine adds noise, never speed) and the job's result."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = job()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def worker_peak_kb(master_pid: int) -> int:
    """The largest peak resident memory (VmHWM) among the gunicorn workers of `master_pid`."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M) and (found := re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)):
            peaks.append(int(found.group(1)))
    return max(peaks, default=0)


def through_the_web(path: Path, env: dict) -> dict:
    """Upload, verdicts on the page, every download: seconds from the moment the upload starts."""
    with tempfile.TemporaryFile() as log:
        process, base = serve("wsgi:app", env, log)
        try:
            session = requests.Session()
            token = csrf_token(session.get(base + "/accedi").text)
            session.post(base + "/accedi", data={"csrf_token": token, "email": MEMBER, "password": DEMO_PASSWORD})
            token = csrf_token(session.get(base + "/tariffe/verifiche/massiva").text)
            memory_before = worker_peak_kb(process.pid)
            started = time.perf_counter()
            with path.open("rb") as upload:
                answer = session.post(base + "/tariffe/verifiche/massiva", data={"csrf_token": token, "cliente": "Bench"},
                                      files={"file": ("listino.csv", upload, "text/csv")}, allow_redirects=False)
            batch_url = base + answer.headers["Location"]
            uploaded = time.perf_counter() - started
            while session.get(batch_url + "/stato").json()["status"] not in ("done", "failed"):
                time.sleep(0.05)
            page = session.get(batch_url)
            on_page = time.perf_counter() - started
            assert "Riepilogo" in page.text, page.text[:500]
            sizes = {}
            for name in ("esiti.csv", "esiti.xlsx", "rapporto.pdf"):
                sizes[name] = len(session.get(f"{batch_url}/{name}").content)
            downloads = time.perf_counter() - started
            return {"uploaded": uploaded, "on_page": on_page, "downloads": downloads, "sizes": sizes,
                    "memory_before": memory_before, "memory_peak": worker_peak_kb(process.pid)}
        finally:
            process.terminate()
            process.wait()


def main() -> None:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(arguments[0]) if arguments else 100_000
    web_too = "--solo-memoria" not in sys.argv
    tables = TableIndex(demo_table_rows())
    uplift = UpliftIndex(DEMO_UPLIFT)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tariffe.csv"
        generate(path, rows)
        size = path.stat().st_size
        data = path.read_bytes()
        plain_s, parsed = best_of(lambda: plain_parse(path))
        check_s, results = best_of(lambda: check_file(data, tables, uplift))
        if web_too:
            with portal_database("bench_tariffs") as env:
                web = through_the_web(path, env)
    counts = verdict_counts(results)
    print(f"righe: {rows:,} ({size / 1e6:.1f} MB); righe lette dal csv semplice: {parsed - 1:,}")
    print("esiti: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"parse csv semplice: {plain_s:.3f} s")
    print(f"verifica in memoria (lettura + verifica + cifre): {check_s:.3f} s ({check_s / plain_s:.1f}x il parse)")
    if not web_too:
        return
    print(f"web: caricamento {web['uploaded']:.2f} s; esiti sulla pagina {web['on_page']:.2f} s (obiettivo 3 s); "
          f"tutti i file scaricati {web['downloads']:.2f} s (obiettivo 6 s)")
    print("file: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in web["sizes"].items()))
    print(f"memoria di picco dei worker gunicorn: {web['memory_before'] / 1024:.0f} MB prima, {web['memory_peak'] / 1024:.0f} MB dopo")
    print(f"rapporto web / parse: esiti sulla pagina {web['on_page'] / plain_s:.0f}x, tutti i file {web['downloads'] / plain_s:.0f}x")


if __name__ == "__main__":
    main()
