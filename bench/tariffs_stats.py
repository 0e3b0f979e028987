"""Benchmark of the tariffs statistics page with millions of stored rows:
`python bench/tariffs_stats.py [ROWS] [LISTS]` (default 10,000,000 rows in 2,000 price lists).

On a throw-away PostgreSQL server with the demo data, fills `tariff_check` with ROWS checked
rates (generate_series: LISTS lists of the demo companies, a few rate dates each, every level,
all three verdicts, some on the illustrative table), then keeps each list's aggregates with the
portal's own function (`portal.tariffs.stats.keep_batch_stats`, as when a list is checked), and
measures the statistics page as staff open it under gunicorn (median and best of five), and the
statistics alone in-process. The last line is the page's time (goal: under 300 ms).
"""

import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import DEMO_PASSWORD, csrf_token, portal_database, serve  # noqa: E402

STAFF = "staff@assocontact.demo"

FILL_BATCHES = """
INSERT INTO tariff_batch (company_id, user_id, client_name, client_sector, status, sheet, header_line, columns, extra_columns,
                          total_rows, processed_rows, counts, failure, created_at, updated_at, finished_at)
SELECT (SELECT id FROM company ORDER BY id OFFSET (g % (SELECT count(*) FROM company)) LIMIT 1), NULL, 'Bench ' || g,
       (ARRAY['pa', 'telecom', 'energia', 'finanza', 'altro'])[1 + g % 5], 'done', '', 1, '{}', '[]', :per_list, :per_list,
       '{}', '', now(), now(), now()
FROM generate_series(1, :lists) AS g
RETURNING id
"""
FILL_ROWS = """
INSERT INTO tariff_check (created_at, batch_id, line, ref, company_id, client_name, client_sector, level, rate, unit,
                          rate_date, inputs, extra, rate_per_minute, labour_cost, sustainable_min, margin_labour,
                          margin_sustainable, uplift_pct, uplift_parts, uplift_illustrative, decree, table_effective_from,
                          official, ccnl_renewal, esito, warning, message)
SELECT now(), b.id, n + 1, 'R' || n, b.company_id, b.client_name, b.client_sector,
       (ARRAY['1', '2', '3', '4', '5', '5S', '6', '7'])[1 + n % 8], 0.45, 'minuto',
       DATE '2019-01-01' + ((b.id * 37) % 2400) + (n % 3) * 45, '{}', '[]', 0.45, 0.43, 0.49, 4.7, -8.2, 15, '{}', true,
       CASE WHEN n % 8 IN (0, 5) THEN 'D.D. 53/2021' ELSE 'Tabella dimostrativa' END, DATE '2021-04-01', n % 8 IN (0, 5), '',
       (ARRAY['sotto_costo_lavoro', 'sotto_minimo_sostenibile', 'conforme'])[1 + ((n * 7 + b.id) % 11) % 3], '', ''
FROM tariff_batch b CROSS JOIN generate_series(0, :per_list - 1) AS n
WHERE b.id BETWEEN :first AND :last
"""


def fill(env: dict, rows: int, lists: int) -> tuple[float, float]:
    """Fill the rows with SQL, then keep each list's aggregates with the portal's function."""
    from sqlalchemy import select, text

    from portal.extensions import db
    from portal.tariffs.models import RateBatch
    from portal.tariffs.stats import keep_batch_stats

    per_list = rows // lists
    app = portal_app(env)
    with app.app_context():
        started = time.perf_counter()
        ids = [i for (i,) in db.session.execute(text(FILL_BATCHES), {"lists": lists, "per_list": per_list})]
        for first in range(0, len(ids), 100):  # in slices: one statement of 10 million rows would hold one huge transaction
            chunk = ids[first:first + 100]
            db.session.execute(text(FILL_ROWS), {"per_list": per_list, "first": chunk[0], "last": chunk[-1]})
            db.session.commit()
        db.session.execute(text("ANALYZE tariff_check"))
        filled = time.perf_counter() - started
        started = time.perf_counter()
        for batch in db.session.scalars(select(RateBatch).where(RateBatch.id.in_(ids))):
            keep_batch_stats(batch)
        db.session.commit()
        db.session.execute(text("ANALYZE tariff_list_stat"))
        db.session.commit()
        return filled, time.perf_counter() - started


def portal_app(env: dict):
    """The portal in this process on the bench's database (the environment's config was read at import)."""
    from portal import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})


def in_process(env: dict) -> tuple[float, int, int]:
    from sqlalchemy import text

    from portal.extensions import db
    from portal.tariffs.stats import rate_statistics

    app = portal_app(env)
    with app.test_request_context():
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            figures = rate_statistics()
            timings.append(time.perf_counter() - started)
        stored = db.session.execute(text("SELECT count(*) FROM tariff_check")).scalar()
        aggregates = db.session.execute(text("SELECT count(*) FROM tariff_list_stat")).scalar()
        assert figures.total.rows >= stored - 1000, (figures.total.rows, stored)
        return statistics.median(timings), stored, aggregates


def page_times(env: dict) -> list[float]:
    process, base = serve("wsgi:app", env)
    try:
        session = requests.Session()
        token = csrf_token(session.get(base + "/accedi").text)
        session.post(base + "/accedi", data={"csrf_token": token, "email": STAFF, "password": DEMO_PASSWORD})
        session.get(base + "/tariffe/statistiche")  # the first request fills per-process caches
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            page = session.get(base + "/tariffe/statistiche")
            timings.append(time.perf_counter() - started)
            assert page.status_code == 200 and "per listino" in page.text
        return timings
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    lists = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    with portal_database("bench_stats") as env:
        filled, aggregated = fill(env, rows, lists)
        print(f"riempimento: {filled:.1f} s (generate_series); aggregati con keep_batch_stats: {aggregated:.1f} s", flush=True)
        median_in_process, stored, aggregates = in_process(env)
        print(f"righe salvate: {stored:,} in {lists:,} listini (+ le verifiche dimostrative); aggregati per listino: {aggregates:,}")
        print(f"rate_statistics() nel processo: mediana {median_in_process * 1000:.0f} ms", flush=True)
        timings = page_times(env)
    print(f"pagina /tariffe/statistiche (gunicorn): migliore {min(timings) * 1000:.0f} ms, mediana {statistics.median(timings) * 1000:.0f} ms"
          " (obiettivo < 300 ms)")


if __name__ == "__main__":
    main()
