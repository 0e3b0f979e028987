"""The demo data and the benchmark script: both run, and the demo keeps the official values."""

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from portal.demo import seed_all
from portal.tariffs.demo_tables import ILLUSTRATIVE, interpolate
from portal.tariffs.models import Decree, RateCheck
from portal.tariffs.services import table_index
from portal.tariffs.stats import rate_shares

ROOT = Path(__file__).resolve().parents[2]


def test_demo_seeds_official_values_and_checks_and_runs_twice(db):
    seed_all()
    seed_all()
    tables = table_index()
    official_3 = tables.row_for("3", date(2018, 6, 1))
    assert (official_3.euro_minute, official_3.decree, official_3.official) == (Decimal("0.4282"), "D.D. 123/2017", True)
    assert tables.row_for("1", date(2022, 12, 1)).euro_minute == Decimal("0.3573")
    assert tables.row_for("5S", date(2021, 4, 1)).euro_minute == Decimal("0.5292")
    assert tables.row_for("4", date(2021, 4, 1)).official is False
    assert db.session.scalar(select(func.count()).select_from(Decree)) == 4
    checks = db.session.scalar(select(func.count()).select_from(RateCheck))
    assert checks >= 300
    shares = rate_shares()
    assert len(shares["by_quarter"]) >= 8 and all(e["total"] for e in shares["by_sector"])


def test_interpolation_keeps_the_known_levels_and_their_order():
    assert interpolate("1", Decimal("0.3503"), Decimal("0.5292")) == Decimal("0.3503")
    assert interpolate("5S", Decimal("0.3503"), Decimal("0.5292")) == Decimal("0.5292")
    assert interpolate("3", Decimal("0.33"), Decimal("0.50")) == Decimal("0.4282")  # calibrated on the official level 3
    values = [interpolate(level, Decimal("0.3503"), Decimal("0.5292")) for level in ("1", "2", "3", "4", "5", "5S", "6", "7")]
    assert values == sorted(values)
    assert not any(level == "3" and day == date(2018, 1, 1) for level, day, _ in ILLUSTRATIVE.rows)


def test_benchmark_runs_on_a_small_file():
    """The check in memory only: the web part starts its own PostgreSQL and gunicorn (minutes on a busy machine)."""
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "tariffs_bulk.py"), "2000", "--solo-memoria"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "righe: 2,000" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("verifica in memoria")
