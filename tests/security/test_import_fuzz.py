"""Every import fuzzed: no crash, every bad row reported with its own line number.

The imports are the ministerial table (`parse_table_file`, from the web and the CLI) and the
bulk price list (`check_file`), each as CSV and as XLSX. Generated files mix good rows with rows
holding one hostile cell (text in a number, negative, huge, unicode, empty, spreadsheet formulas
such as `=cmd|' /C calc'!A0`); the report must name exactly the bad rows, by line. A last test
posts generated files through the real import view and reads the preview page; the last, that a
formula in an uploaded row id stays text in the results a colleague downloads.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.access import Role
from portal.tariffs.bulk import ERRORE, RATE_COLUMNS, check_file
from portal.tariffs.models import PendingImport
from portal.tariffs.rates import Verdict
from portal.tariffs.reader import FileError
from portal.tariffs.table_file import TABLE_COLUMNS, parse_table_file
from tests.certification.test_permissions import as_user
from tests.tariffs.files import level_3_tables, uplift_15

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

FORMULAS = ["=cmd|' /C calc'!A0", "=1+1", "+SUM(1,2)", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://evil.example\")"]
WORDS = ["abc", "N/D", "∞", "١٢٣", "二", "😀", "NaN", "Infinity", "1e400", "0x10", "12,34,56", "1.2.3", "<script>", "\u202e3"]

# Cells that must make their row bad, per column.
BAD_LEVEL = st.sampled_from(["9", "0", "-3", "", "99999999999999999999", *FORMULAS, *WORDS])
BAD_DATE = st.sampled_from(["31/02/2021", "00/01/2021", "01/13/2021", "01/01/1800", "01/01/2200", "2021/13/01", "",
                            *FORMULAS, *WORDS])
BAD_EURO_MINUTE = st.sampled_from(["0", "-0,5", "0,12345", "150", "1.234.567,89", "", *FORMULAS, *WORDS])
BAD_RATE = st.sampled_from(["", "1e400", "99999999999", *FORMULAS, *(w for w in WORDS if w != "١٢٣")])  # 123 a hour is a fair rate
BAD_UNIT = st.sampled_from(["", "secolo", "€", *FORMULAS, *WORDS])

# Any text at all (no NUL, no line break: a NUL refuses the whole file, a break moves the lines).
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"), max_size=20)
ANY_CELL = st.one_of(ANY_TEXT, st.sampled_from(FORMULAS + WORDS), st.integers(-10**30, 10**30).map(str))


def italian(amount: Decimal) -> str:
    return str(amount).replace(".", ",")


def day(n: int) -> str:
    return (date(2018, 1, 1) + timedelta(days=n)).strftime("%d/%m/%Y")


# --- the files --------------------------------------------------------------------------------

def as_csv(header: tuple[str, ...], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(header: tuple[str, ...], rows: list[list]) -> bytes:
    """A workbook as Excel writes it: a cell starting with `=` is a formula, and has no value until Excel computes it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


WRITERS = {"csv": as_csv, "xlsx": as_xlsx}


def is_blank(row: list, kind: str = "csv") -> bool:
    """A row the reader does not count: only blanks (in a workbook, a formula nobody computed is blank too;
    the workbook writer drops the control characters a workbook cannot hold, a CSV keeps them)."""
    def seen(cell) -> str:
        if kind != "xlsx":
            return str(cell)
        text = ILLEGAL_CHARACTERS_RE.sub("", str(cell))
        return "" if text.startswith("=") else text

    return not "".join(seen(c) for c in row).strip()


# --- the ministerial table --------------------------------------------------------------------

@st.composite
def table_rows(draw):
    """(rows, lines of the bad ones): good rows with unique (level, date), bad rows with one hostile cell."""
    rows, bad = [], set()
    for n in range(draw(st.integers(1, 12))):
        row = [draw(st.sampled_from(["1", "2", "3", "4", "5", "5S", "6", "7"])), day(n * 31),
               italian(draw(st.decimals(Decimal("0.0001"), Decimal("99.9999"), places=4)))]
        column = draw(st.sampled_from([None, None, 0, 1, 2]))
        if column is not None:
            row[column] = draw((BAD_LEVEL, BAD_DATE, BAD_EURO_MINUTE)[column])
        if is_blank(row):
            continue
        rows.append(row)
        if column is not None:
            bad.add(len(rows) + 1)  # the header is line 1
    return rows, bad


@FUZZ
@given(case=table_rows(), kind=st.sampled_from(sorted(WRITERS)))
def test_table_import_reports_exactly_the_bad_rows(app, case, kind):
    rows, bad_lines = case

    good, errors = parse_table_file(WRITERS[kind](TABLE_COLUMNS, rows))

    assert {e.line for e in errors} == bad_lines
    assert {r.line for r in good} == set(range(2, len(rows) + 2)) - bad_lines
    assert all(e.message.strip() for e in errors)


@FUZZ
@given(rows=st.lists(st.lists(ANY_CELL, max_size=5), min_size=1, max_size=12), kind=st.sampled_from(sorted(WRITERS)))
def test_table_import_of_anything_accounts_for_every_row(app, rows, kind):
    data = WRITERS[kind](TABLE_COLUMNS, rows)
    try:
        good, errors = parse_table_file(data)
    except FileError as exc:
        assert kind == "csv" and str(exc).startswith("Il CSV non è leggibile")  # e.g. a field beyond csv's size limit
        return
    lines = [r.line for r in good] + [e.line for e in errors]
    expected = [n for n, row in enumerate(rows, start=2) if not is_blank(row, kind)]
    assert sorted(lines) == expected  # every non-blank row once, under its own line


# --- the bulk price list ------------------------------------------------------------------------

@st.composite
def price_list_rows(draw):
    rows, bad = [], set()
    for n in range(draw(st.integers(1, 12))):
        rate = draw(st.decimals(Decimal("0.01"), Decimal("50"), places=2))
        row = ["3", italian(rate), draw(st.sampled_from(["minuto", "ora", "Minuti", " ORA "])), day(n * 7)]
        column = draw(st.sampled_from([None, None, 0, 1, 2, 3]))
        if column is not None:
            row[column] = draw((BAD_LEVEL, BAD_RATE, BAD_UNIT, BAD_DATE)[column])
        if is_blank(row):
            continue
        rows.append(row)
        if column is not None:
            bad.add(len(rows) + 1)
    return rows, bad


@FUZZ
@given(case=price_list_rows(), kind=st.sampled_from(sorted(WRITERS)))
def test_bulk_check_reports_exactly_the_bad_rows(app, case, kind):
    rows, bad_lines = case

    results = check_file(WRITERS[kind](RATE_COLUMNS, rows), level_3_tables(), uplift_15())

    assert [r.line for r in results] == list(range(2, len(rows) + 2))
    assert {r.line for r in results if r.error} == bad_lines
    assert all(r.esito in {v.value for v in Verdict} for r in results if not r.error)


@FUZZ
@given(rows=st.lists(st.lists(ANY_CELL, max_size=6), min_size=1, max_size=12), kind=st.sampled_from(sorted(WRITERS)))
def test_bulk_check_of_anything_accounts_for_every_row(app, rows, kind):
    try:
        results = check_file(WRITERS[kind](("riga_id", *RATE_COLUMNS, "aht_secondi"), rows), level_3_tables(), uplift_15())
    except FileError as exc:
        assert kind == "csv" and str(exc).startswith("Il CSV non è leggibile")
        return
    expected = [n for n, row in enumerate(rows, start=2) if not is_blank(row, kind)]
    assert [r.line for r in results] == expected
    assert all((r.error is not None) == (r.esito == ERRORE) for r in results)
    assert all(r.error.strip() for r in results if r.error)


# --- through the web ----------------------------------------------------------------------------

@pytest.fixture
def staff_client(client, make_user):
    as_user(client, make_user(Role.STAFF))
    return client


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=table_rows(), kind=st.sampled_from(sorted(WRITERS)))
def test_the_import_page_lists_every_bad_row_by_line(db, staff_client, case, kind):
    rows, bad_lines = case
    data = WRITERS[kind](TABLE_COLUMNS, rows)

    response = staff_client.post("/tariffe/tabelle/importa", data={"number": "D.D. 1/2030", "issued_on": "2030-01-15", "source": "G.U. n. 1",
                                                                      "file": (io.BytesIO(data), f"t.{kind}")},
                                 content_type="multipart/form-data")

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    pending = db.session.get(PendingImport, int(response.location.rsplit("/", 1)[1]))
    assert {line for line, _ in pending.errors} == bad_lines
    page = staff_client.get(response.location).get_data(as_text=True)
    assert all(f">{line}<" in page for line in bad_lines), "the preview names every bad line"


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_in_a_price_list_comes_back_inert_in_the_downloads(app, db, client, make_user, make_company, formula):
    """What a member uploads is downloaded by staff too: a row id must never become a live formula."""
    as_user(client, make_user(Role.APPLICANT, company=make_company()))
    data = as_csv(("riga_id", *RATE_COLUMNS), [[formula, "3", "0,90", "minuto", "01/01/2024"], [formula, "9", "x", "", ""]])
    batch_url = client.post("/tariffe/verifiche/massiva", data={"file": (io.BytesIO(data), "listino.csv")},
                            content_type="multipart/form-data").location
    as_user(client, make_user(Role.STAFF))

    rows = list(csv.reader(io.StringIO(client.get(f"{batch_url}/esiti.csv").data.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(client.get(f"{batch_url}/esiti.xlsx").data)).active

    assert [row[0] for row in rows[1:]] == ["'" + formula] * 2
    ids = [sheet.cell(row=n, column=1) for n in (2, 3)]
    assert all(cell.data_type == "s" and cell.quotePrefix and cell.value == formula for cell in ids)
