"""The file reader and the bulk check: Italian CSV in its variants, Excel, and bad rows."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.tariffs.bulk import check_file, verdict_counts
from portal.tariffs.reader import CellError, FileError, parse_amount, parse_date
from portal.tariffs.table_file import parse_table_file
from tests.tariffs.files import RATES_HEADER, csv_bytes, level_3_tables, uplift_15, xlsx_bytes


@pytest.mark.parametrize("text, expected", [
    ("0,4282", D("0.4282")), ("1.234,56", D("1234.56")), ("1.234", D("1234")), ("2988", D("2988")),
    ("0.4282", D("0.4282")), ("12.5", D("12.5")), (" 3.000,00 € ", D("3000.00")), ("-0,5", D("-0.5")),
])
def test_italian_amounts(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,234.56", "1,2,3", "NaN", "Infinity", "1e5", "", "1.23.4", "²"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(CellError):
        parse_amount(text)


def test_dates():
    assert parse_date("01/04/2021") == date(2021, 4, 1)
    assert parse_date("1/4/2021") == date(2021, 4, 1)
    assert parse_date("2021-04-01") == date(2021, 4, 1)
    assert parse_date(datetime(2021, 4, 1, 0, 0)) == date(2021, 4, 1)
    for bad in ("31/02/2021", "2021/04/01", "01/13/2021", "oggi"):
        with pytest.raises(CellError):
            parse_date(bad)


def test_rates_file_with_bom_headers_in_any_case_and_bad_rows_still_checks_the_good_ones():
    data = csv_bytes(
        "Riga_ID;LIVELLO; Tariffa ;Unità;Data;AHT_secondi",
        "A;3;25,692;ora;01/01/2019;",
        "",
        "B;8;0,50;minuto;01/01/2019;",
        "C; 5s ;1.234,56;fte_mese;01/05/2021;",
        "D;3;1;contatto;01/01/2019;",
        "E;3;-0,5;minuto;01/01/2019;",
        "F;3;0,50;minuto;31/02/2019;",
        "G;3;0,50;minuto;01/01/2017;",
        "H;3;0,50;minuto;01/01/2019;180",
        bom=True,
    )
    results = check_file(data, level_3_tables(), uplift_15())
    by_ref = {r.ref: r for r in results}
    assert [r.ref for r in results] == list("ABCDEFGH")
    assert by_ref["A"].esito == "sotto_minimo_sostenibile" and by_ref["A"].line == 2
    assert by_ref["B"].line == 4 and "Livello «8» sconosciuto" in by_ref["B"].error
    assert by_ref["C"].esito == "sotto_costo_lavoro"  # 1234.56 / 6980 min = 0.1769 < 0.5292
    assert "AHT" in by_ref["D"].error
    assert "negativa" in by_ref["E"].error
    assert "Data impossibile" in by_ref["F"].error
    assert "Nessuna tabella ministeriale in vigore per il livello 3 al 01/01/2017" in by_ref["G"].error
    assert "dal 01/01/2018" in by_ref["G"].error
    assert by_ref["H"].esito == "conforme"
    assert verdict_counts(results) == {"sotto_costo_lavoro": 1, "sotto_minimo_sostenibile": 1, "conforme": 1, "errore": 5}


def test_a_price_list_over_the_row_limit_is_refused_whole(monkeypatch):
    monkeypatch.setattr("portal.tariffs.bulk.MAX_ROWS", 3)
    rows = [f"R{n};3;0,50;minuto;01/01/2019;" for n in range(4)]
    assert len(check_file(csv_bytes(RATES_HEADER, *rows[:3]), level_3_tables(), uplift_15())) == 3
    with pytest.raises(FileError, match="più di 3 righe: dividilo in più file"):
        check_file(csv_bytes(RATES_HEADER, *rows), level_3_tables(), uplift_15())


def test_windows_1252_file():
    data = csv_bytes(RATES_HEADER, "Tariffa più bassa;3;0,40;minuto;01/01/2019;", encoding="cp1252")
    [result] = check_file(data, level_3_tables(), uplift_15())
    assert result.ref == "Tariffa più bassa" and result.esito == "sotto_costo_lavoro"


def test_illustrative_rows_are_labelled_in_the_message():
    [result] = check_file(csv_bytes(RATES_HEADER, "1;4;1;minuto;01/01/2019;"), level_3_tables(), uplift_15())
    assert "tabella dimostrativa" in result.message.lower()


def test_xlsx_rates_file_with_excel_numbers_and_dates():
    data = xlsx_bytes(
        ["riga_id", "livello", "tariffa", "unita", "data", "aht_secondi"],
        [1, 3, 25.692, "ora", datetime(2019, 1, 1), None],
        [2, "5S", "0,65", "minuto", "01/05/2021", None],
        [None, None, None, None, None, None],
        [3, 3, "x", "minuto", datetime(2019, 1, 1), None],
    )
    results = check_file(data, level_3_tables(), uplift_15())
    assert [(r.ref, r.esito) for r in results] == [("1", "sotto_minimo_sostenibile"), ("2", "conforme"), ("3", "errore")]
    assert results[2].line == 5


@pytest.mark.parametrize("data, message", [
    (b"", "vuoto"),
    (b"riga_id;livello;tariffa\n1;3;0,5\n", "riga 1: mancano le colonne: unità della tariffa"),
    (b"PK\x03\x04not really a workbook", "Excel non è leggibile"),
])
def test_unreadable_files_raise_one_italian_message(data, message):
    with pytest.raises(FileError, match=message):
        check_file(data, level_3_tables(), uplift_15())


def test_table_file_reports_every_bad_row_and_duplicates():
    rows, errors = parse_table_file(csv_bytes(
        "LIVELLO;Decorrenza;Euro_Minuto",
        "3;01/04/2021;0,4282",
        "5s;01/04/2021;0,5292",
        "9;01/04/2021;0,30",
        "3;01/04/2021;0,4300",
        "2;01/04/2021;0,12345",
        "2;01/04/2021;0",
    ))
    assert [(r.level, r.euro_minute) for r in rows] == [("3", D("0.4282")), ("5S", D("0.5292"))]
    assert [(e.line, e.message.split(" ")[0]) for e in errors] == [(4, "Livello"), (5, "Livello"), (6, "Il"), (7, "Il")]
    assert "già presenti alla riga 2" in errors[1].message


# --- property tests: arbitrary rows never crash the reader, and every bad row is reported ------

cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
plausible = st.sampled_from(["3", "5s", "0,50", "1.234,56", "minuto", "contatto", "01/01/2019", "31/02/2020", "", "180", "-1"])
row = st.lists(st.one_of(cell_text, plausible), min_size=0, max_size=8)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=15), encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_arbitrary_rows_never_crash_and_each_gets_a_result(rows, encoding):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(RATES_HEADER.split(";"))
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    try:
        results = check_file(data, level_3_tables(), uplift_15())
    except FileError:
        return  # a whole-file problem (e.g. an unclosed quote) is one clear message, not a crash
    non_blank = [r for r in rows if "".join(r).strip()]
    assert len(results) == len(non_blank)
    assert len({r.line for r in results}) == len(results)
    for result in results:
        assert (result.esito == "errore") == (result.error is not None)
        if result.error:
            assert result.error.strip() and result.rate_per_minute is None


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=10))
def test_arbitrary_table_rows_are_either_good_or_reported(rows):
    text = "livello;decorrenza;euro_minuto\n" + "\n".join(";".join(c.replace(";", "").replace("\n", "").replace("\r", "").replace('"', "") for c in r) for r in rows)
    try:
        good, errors = parse_table_file(text.encode())
    except FileError:
        return
    lines = [r.line for r in good] + [e.line for e in errors]
    assert len(lines) == len(set(lines)) == len([r for r in rows if "".join(r).replace(";", "").strip()])
