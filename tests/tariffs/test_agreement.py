"""One value, one rounding: a generated list of thousands of rates gives, digit for digit, the
same figures on the command line, the web CSV, the web XLSX, the batch pages, the PDF, the
calculator and a saved check, and they are the exact values rounded once, half up.

The reference is computed here independently, with exact fractions from the inputs, and rounded
half up by hand; the list holds rates built to fall exactly on a rounding half (x,xxxx5 € a minute,
12,45 %) where a value stored rounded and rounded again, or rounded half to even, would differ.
"""

import csv
import io
import random
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.access import Role
from portal.tariffs.demo import seed_decrees, seed_uplift
from portal.tariffs.models import RateBatch
from portal.tariffs.services import table_index
from tests.members.pages import text as page_text
from tests.sessions import sign_in
from tests.tariffs.files import csv_bytes

ROWS = 2500
UPLIFT = Fraction(15)
FIGURES = ("tariffa_minuto", "costo_lavoro_minuto", "minimo_sostenibile_minuto", "margine_pct", "margine_minimo_pct")


def half_up(value: Fraction, digits: int) -> str:
    """`value` rounded half up (halves away from zero) to `digits` decimals, as Italian text."""
    scaled = abs(value) * 10**digits
    units = floor(scaled + Fraction(1, 2))
    sign = "-" if value < 0 and units else ""
    whole, part = divmod(units, 10**digits)
    return f"{sign}{whole},{part:0{digits}d}"


def reference(rate: str, unit: str, aht: str, labour: Decimal) -> tuple[str, ...]:
    amount = Fraction(rate.replace(",", "."))
    per_minute = {"minuto": amount, "ora": amount / 60, "contatto": amount * 60 / Fraction(aht or 1),
                  "fte_mese": amount / (Fraction(1396) * 5)}[unit]
    cost = Fraction(labour)
    sustainable = cost * (1 + UPLIFT / 100)
    return (half_up(per_minute, 4), half_up(cost, 4), half_up(sustainable, 4), half_up((per_minute - cost) / cost * 100, 1),
            half_up((per_minute - sustainable) / sustainable * 100, 1))


def generated_rows(tables) -> list[tuple[str, str, str, str, str, str]]:
    """(id, level, rate, unit, date, aht): random rates, and rates that fall exactly on a half."""
    rnd = random.Random(11)
    rows = [("T1", "1", "0,40178385", "minuto", "01/12/2022", "")]  # exact margin 12,45 %: 12,5 half up, 12,4 half-even
    levels = ("1", "2", "3", "4", "5", "5S", "6", "7")
    while len(rows) < ROWS:
        level, day = rnd.choice(levels), date(2019, 1, 1) + timedelta(days=rnd.randrange(0, 2400))
        labour = tables.row_for(level, day).euro_minute
        kind = rnd.randrange(5)
        if kind == 0:  # a rate per minute exactly on a half of the fourth decimal
            rate, unit, aht = f"{Decimal(rnd.randrange(3000, 6000)) / 10000 + Decimal('0.00005')}", "minuto", ""
        elif kind == 1:  # a margin exactly on a half of the first decimal: rate = cost x (1 + m/1000), m odd halves
            margin = Decimal(rnd.randrange(-300, 300)) / 10 + Decimal("0.05")
            rate, unit, aht = f"{labour * (1 + margin / 100)}", "minuto", ""
        else:
            unit = rnd.choice(("minuto", "ora", "contatto", "fte_mese"))
            per_minute = Decimal(rnd.randrange(2500, 7000)) / 10000
            aht = str(rnd.randrange(60, 400)) if unit == "contatto" else ""
            factor = {"minuto": 1, "ora": 60, "contatto": Decimal(aht or 1) / 60, "fte_mese": 6980}[unit]
            rate = f"{(per_minute * factor).quantize(Decimal('0.000001'))}"
        rows.append((f"R{len(rows) + 1}", level, rate.replace(".", ","), unit, f"{day:%d/%m/%Y}", aht))
    return rows


@pytest.fixture
def agreement(db, tmp_path):
    seed_decrees()
    seed_uplift()
    db.session.commit()
    tables = table_index()
    rows = generated_rows(tables)
    expected = {}
    for ref, level, rate, unit, day, aht in rows:
        on = date(int(day[6:]), int(day[3:5]), int(day[:2]))
        expected[ref] = reference(rate, unit, aht, tables.row_for(level, on).euro_minute)
    path = tmp_path / "listino.csv"
    path.write_bytes(csv_bytes("riga_id;livello;tariffa;unita;data;aht_secondi", *(";".join(r) for r in rows)))
    return rows, expected, path


def by_column(lines: list[list[str]]) -> dict[str, tuple[str, ...]]:
    header, *body = lines
    positions = [header.index(name) for name in FIGURES if name in header]
    return {line[0]: tuple(line[p] for p in positions) for line in body}


def test_every_output_shows_the_exact_value_rounded_once(app, client, runner, agreement, make_company, make_user):
    rows, expected, path = agreement
    assert expected["T1"][3] == "12,5"  # the case: exact 12,45 %

    # command line
    result = runner.invoke(args=["tariffs", "check", str(path)])
    cli = by_column(list(csv.reader(result.stdout.splitlines(), delimiter=";")))
    assert {k: v[:4] for k, v in expected.items()} == cli

    # the web: upload, then the CSV, the XLSX, every page of rows, the PDF
    member = make_user(Role.APPLICANT, company=make_company())
    sign_in(client, member)
    location = client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(path.read_bytes()), "listino.csv")}).headers["Location"]
    batch = app.extensions["sqlalchemy"].session.scalar(select(RateBatch))
    assert batch.status == "done" and batch.total_rows == ROWS
    web_csv = client.get(f"{location}/esiti.csv").get_data(as_text=True).removeprefix("\ufeff")
    assert by_column(list(csv.reader(io.StringIO(web_csv), delimiter=";"))) == expected

    sheet = load_workbook(io.BytesIO(client.get(f"{location}/esiti.xlsx").data), read_only=True)["Esiti"]
    header, *body = sheet.iter_rows(values_only=True)
    digits = {"tariffa_minuto": 4, "costo_lavoro_minuto": 4, "minimo_sostenibile_minuto": 4, "margine_pct": 1, "margine_minimo_pct": 1}
    positions = [(header.index(name), digits[name]) for name in FIGURES]
    workbook = {line[0]: tuple(f"{line[p]:.{d}f}".replace(".", ",") for p, d in positions) for line in body}
    assert workbook == expected

    shown = {}
    cell = r'<td class="text-end">([^<]*)</td>'
    pattern = re.compile(rf"<tr><td>\d+</td><td>([^<]*)</td><td>[^<]*</td>\s*<td class=\"text-end\">.*?</td>\s*<td>[^<]*</td>\s*"
                         rf"{cell}{cell}{cell}\s*{cell}", re.S)
    for page in range(1, -(-ROWS // 50) + 1):
        html = page_text(client.get(f"{location}?page={page}"))
        html = html.split('id="righe"')[1]
        for ref, per_minute, labour, sustainable, margin in pattern.findall(html):
            shown[ref] = tuple(re.sub(r"[^\d,\-]", "", v) for v in (per_minute, labour, sustainable, margin))
    assert shown == {k: v[:4] for k, v in expected.items()}

    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(f"{location}/rapporto.pdf").data)).pages)
    worst = sorted(expected, key=lambda k: (Decimal(expected[k][3].replace(",", ".")), int(k[1:]) if k[1:].isdigit() else 0))[:5]
    for ref in worst:
        assert all(value in pdf for value in expected[ref][:4]), ref

    # the calculator and a saved check, on a sample that includes the exact halves
    for ref, level, rate, unit, day, aht in rows[:40]:
        query = {"livello": level, "tariffa": rate, "unita": unit, "data": f"{day[6:]}-{day[3:5]}-{day[:2]}", "aht": aht}
        page = page_text(client.get("/tariffe/verifica", query_string=query))
        figures = re.findall(r'<dd class="col-sm-6">([-\d.,]+)(?:\xa0€| %|\xa0%)', page.replace("&nbsp;", "\xa0"))
        assert tuple(re.sub(r"[^\d,\-]", "", f) for f in figures[:5]) == expected[ref], ref
        saved = client.post("/tariffe/verifica/salva", data=query)
        page = page_text(client.get(saved.headers["Location"]))
        figures = re.findall(r'<dd class="col-sm-6">([-\d.,]+)(?:\xa0€| %|\xa0%)', page.replace("&nbsp;", "\xa0"))
        assert tuple(re.sub(r"[^\d,\-]", "", f) for f in figures[:5]) == expected[ref], ref
