"""Logged-in page against a bare Flask route, both under gunicorn, 20 concurrent clients.

Starts a throw-away PostgreSQL server, builds the portal's schema with the migrations and the
demo data, serves the portal (`wsgi:app`) and a bare Flask app (`bench/bare_app.py`) with the
same gunicorn settings on loopback, then sends the same number of requests to each: every
client signs in once as a company admin and opens its home page (the page with the to-dos of
every module). Three rounds, bare route then portal in each, so a burst of other work on the
machine hits one round and not the whole figure; each side keeps its best round (lowest p95),
as the other benchmarks keep their best of three. Prints requests/s and p50/p95/p99 of every
round with the machine's load average; the last line is the p95 ratio (goal: at most 4x, issue 15).

    .venv/bin/python bench/page_overhead.py [requests_per_client]
"""

import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import GUNICORN, cookie_jar, portal_database, serve, sign_in  # noqa: E402

CLIENTS = 20
ROUNDS = 3
DEMO_USER = "admin@voce.demo"


def signed_in_opener(base: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookie_jar()))
    sign_in(opener, base, DEMO_USER)
    return opener


def timed_requests(url: str, count: int, opener) -> list[float]:
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        with opener.open(url) as response:
            response.read()
            assert response.status == 200
        timings.append(time.perf_counter() - start)
    return timings


def run(url: str, count: int, openers: list) -> tuple[list[float], float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda o: timed_requests(url, count, o), openers))
    elapsed = time.perf_counter() - start
    return [t for r in results for t in r], elapsed


def report(name: str, timings: list[float], elapsed: float) -> float:
    q = statistics.quantiles(timings, n=100)
    print(f"{name:<22} {len(timings) / elapsed:8.1f} req/s   p50 {q[49] * 1000:7.1f} ms   "
          f"p95 {q[94] * 1000:7.1f} ms   p99 {q[98] * 1000:7.1f} ms   load {os.getloadavg()[0]:.1f}")
    return q[94]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with portal_database() as env:
        portal, portal_url = serve("wsgi:app", env)
        bare, bare_url = serve("bench.bare_app:app", env)
        try:
            openers = [signed_in_opener(portal_url) for _ in range(CLIENTS)]
            plain = [urllib.request.build_opener() for _ in range(CLIENTS)]
            run(bare_url + "/", 5, plain)  # warm up both servers
            run(portal_url + "/home", 5, openers)
            print(f"{CLIENTS} clients x {count} requests, {ROUNDS} rounds, gunicorn {' '.join(GUNICORN[1:5])}, PostgreSQL")
            bare_p95s, page_p95s = [], []
            for _ in range(ROUNDS):
                bare_p95s.append(report("bare Flask route", *run(bare_url + "/", count, plain)))
                page_p95s.append(report("portal /home (login)", *run(portal_url + "/home", count, openers)))
            bare_p95, page_p95 = min(bare_p95s), min(page_p95s)
            print(f"best p95: bare route {bare_p95 * 1000:.1f} ms, portal /home {page_p95 * 1000:.1f} ms")
        finally:
            for process in (portal, bare):
                process.terminate()
                process.wait(timeout=10)
        print(f"p95 ratio logged-in page / bare route: {page_p95 / bare_p95:.2f}x (goal <= 4x)")


if __name__ == "__main__":
    main()
