"""Benchmark of the bulk rate check: `python bench/tariffs_bulk.py [ROWS]` (default 100,000).

Generates a rates file like a tender price list, then times in the same run a plain `csv` parse
of the file and the portal's bulk check of it (reading, parsing, verdicts; in memory, against
the demo tables), best of three runs each. Prints the figures; the last line is the ratio
(goal: at most 3x, under 10 s).
"""

import csv
import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.tariffs.bulk import check_file, verdict_counts  # noqa: E402
from portal.tariffs.demo_tables import DEMO_UPLIFT, demo_table_rows  # noqa: E402
from portal.tariffs.exports import write_results_csv  # noqa: E402
from portal.tariffs.lookup import TableIndex, UpliftIndex  # noqa: E402
from portal.tariffs.rates import LEVELS  # noqa: E402

UNITS = (("minuto", 0.30, 0.70, 1), ("ora", 18, 40, 1), ("contatto", 0.8, 3.5, 1), ("fte_mese", 2400, 4200, 1))


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    rnd = random.Random(seed)
    start = date(2019, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("riga_id;livello;tariffa;unita;data;aht_secondi\n")
        for n in range(1, rows + 1):
            unit, low, high, _ = rnd.choice(UNITS)
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


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    tables = TableIndex(demo_table_rows())
    uplift = UpliftIndex(DEMO_UPLIFT)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tariffe.csv"
        generate(path, rows)
        size = path.stat().st_size

        data = path.read_bytes()
        plain_s, parsed = best_of(lambda: plain_parse(path))
        check_s, results = best_of(lambda: check_file(data, tables, uplift))
        write_s, _ = best_of(lambda: write_results_csv(results, io.StringIO()))

    counts = verdict_counts(results)
    print(f"righe: {rows:,} ({size / 1e6:.1f} MB); righe lette dal csv semplice: {parsed - 1:,}")
    print("esiti: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"parse csv semplice: {plain_s:.3f} s")
    print(f"verifica massiva (lettura + verifica): {check_s:.3f} s ({rows / check_s:,.0f} righe/s)")
    print(f"scrittura CSV dei risultati: {write_s:.3f} s (non compresa nel rapporto)")
    print(f"rapporto verifica / parse: {check_s / plain_s:.1f}x (obiettivo <= 3x e < 10 s)")


if __name__ == "__main__":
    main()
