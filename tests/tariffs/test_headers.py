"""The synonym table and the tolerant reading of cells: headers and values as people write them."""

from datetime import date, datetime, time
from decimal import Decimal as D

import pytest

from portal.tariffs.bulk import RATE_FIELDS
from portal.tariffs.headers import SYNONYMS, header_key, match_header
from portal.tariffs.rates import Unit
from portal.tariffs.reader import (
    CellError,
    HeaderNotFound,
    open_table,
    parse_amount,
    parse_date,
    parse_level,
    parse_seconds,
    parse_unit,
)
from tests.tariffs.files import csv_bytes, xlsx_bytes


@pytest.mark.parametrize("header, field", [
    ("Livello CCNL", "livello"), ("Liv.", "livello"), ("LIVELLO DI INQUADRAMENTO", "livello"), ("Inquadramento", "livello"),
    ("Tariffa (€)", "tariffa"), ("Prezzo unitario offerto", "tariffa"), ("Importo (EUR)", "tariffa"), ("Tariffa €/min", "tariffa"),
    ("Unità", "unita"), ("U.M.", "unita"), ("Unità di misura", "unita"),
    ("Data decorrenza", "data"), ("Decorrenza", "data"), ("Valida dal", "data"), ("Data di applicazione", "data"),
    ("AHT (sec)", "aht_secondi"), ("AHT in secondi", "aht_secondi"), ("Tempo medio di gestione (s)", "aht_secondi"),
    ("N. riga", "riga_id"), ("Nr.", "riga_id"), ("Codice voce", "riga_id"), ("riga_id", "riga_id"),
])
def test_headers_as_people_write_them(header, field):
    assert match_header(header, RATE_FIELDS).field == field


@pytest.mark.parametrize("header", ["Cliente", "Note", "Sede", "Costo orario", "Descrizione del servizio", ""])
def test_other_headers_name_no_field(header):
    assert match_header(header, RATE_FIELDS) is None


def test_every_synonym_is_written_as_its_own_key_and_names_its_field():
    for field, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            assert header_key(synonym) == synonym, synonym
            assert match_header(synonym, (field,)).field == field


def test_header_key_drops_case_accents_punctuation_and_units_in_brackets():
    assert header_key(" Unità  di misura ") == "unita di misura"
    assert header_key("Tariffa (€/min)") == "tariffa"
    assert header_key("N. riga") == "n riga"
    assert header_key("(€)") == "euro"  # a header that is only a unit keeps it


def test_the_header_is_found_below_titles_blank_lines_and_notes_and_extra_columns_are_kept():
    data = csv_bytes("Listino gara ASL 3;;;;;;", "", "Importi in euro, IVA esclusa", "N. riga;Livello CCNL;Tariffa (€);Unità;"
                     "Data decorrenza;AHT (sec);Cliente;;", "1;3;0,45;minuto;01/03/2026;;INPS;;", encoding="cp1252", bom=True)
    layout, rows = open_table(data, RATE_FIELDS, ("livello", "tariffa", "unita", "data"))
    assert (layout.sheet, layout.header_line) == ("", 4)
    assert layout.names == {"riga_id": "N. riga", "livello": "Livello CCNL", "tariffa": "Tariffa (€)", "unita": "Unità",
                            "data": "Data decorrenza", "aht_secondi": "AHT (sec)"}
    assert layout.extra == [(6, "Cliente")]  # trailing empty columns are not columns
    assert [line for line, _cells in rows] == [5]


def test_every_sheet_of_a_workbook_is_considered():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Istruzioni"
    workbook.active.append(["Compilare il foglio Listino"])
    listino = workbook.create_sheet("Listino")
    listino.append(["Offerta economica"])
    listino.append(["Livello", "Tariffa", "Unità", "Data"])
    listino.append([3, 0.45, "minuto", datetime(2026, 3, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    layout, rows = open_table(buffer.getvalue(), RATE_FIELDS, ("livello", "tariffa", "unita", "data"))
    assert (layout.sheet, layout.header_line, layout.where()) == ("Listino", 2, "foglio «Listino», riga 2")
    assert [line for line, _cells in rows] == [3]


def test_two_columns_for_one_field_are_refused_not_picked_between():
    data = csv_bytes("livello;tariffa;tariffa;unita;data", "3;0,45;0,50;minuto;01/03/2026")
    with pytest.raises(HeaderNotFound, match="più colonne possono essere tariffa: «tariffa», «tariffa»"):
        open_table(data, RATE_FIELDS, ("livello", "tariffa", "unita", "data"))


def test_a_file_without_any_header_says_so():
    with pytest.raises(HeaderNotFound, match="Intestazione non trovata"):
        open_table(xlsx_bytes(["a", "b"], [1, 2]), RATE_FIELDS, ("livello", "tariffa", "unita", "data"))


@pytest.mark.parametrize("text, level", [
    ("3", "3"), (3, "3"), (3.0, "3"), ("III", "3"), ("iii", "3"), ("Liv. 3", "3"), ("livello 3", "3"), ("3°", "3"), ("3^", "3"),
    ("5S", "5S"), ("5s", "5S"), ("5 S", "5S"), ("5 super", "5S"), ("V super", "5S"), ("Liv. 5S", "5S"), ("IV", "4"),
    ("Quadri", "7"), ("7Q", "7"), ("VII", "7"),
])
def test_levels_in_the_spellings_people_use(text, level):
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["0", "8", "-3", "VIII", "5SS", "3,5", "terzo", "\u202e3"])
def test_other_levels_are_errors_that_say_what_was_read(text):
    with pytest.raises(CellError, match="livello|nascosti"):
        parse_level(text)


@pytest.mark.parametrize("text, unit", [
    ("minuto", Unit.MINUTO), ("€/min", Unit.MINUTO), ("euro al minuto", Unit.MINUTO), ("Min.", Unit.MINUTO), ("per minuto", Unit.MINUTO),
    ("ora", Unit.ORA), ("orario", Unit.ORA), ("€/h", Unit.ORA), ("euro/ora", Unit.ORA), ("all'ora", Unit.ORA), ("ORE", Unit.ORA),
    ("contatto", Unit.CONTATTO), ("per contatto", Unit.CONTATTO), ("€/contatto", Unit.CONTATTO), ("a chiamata", Unit.CONTATTO),
    ("fte_mese", Unit.FTE_MESE), ("FTE/mese", Unit.FTE_MESE), ("€/FTE/mese", Unit.FTE_MESE), ("FTE mensile", Unit.FTE_MESE),
    ("canone mensile FTE", Unit.FTE_MESE),
])
def test_units_in_their_written_forms_and_symbols(text, unit):
    assert parse_unit(text) is unit


@pytest.mark.parametrize("text", ["", "€", "secolo", "anno", "giorno"])
def test_unknown_units_say_what_was_read(text):
    with pytest.raises(CellError, match="unità"):
        parse_unit(text)


@pytest.mark.parametrize("text, amount", [
    ("€ 1.234,56", D("1234.56")), ("27,50 €", D("27.50")), ("EUR 3.150", D("3150")), ("1 234,56", D("1234.56")),
    ("1\u00a0234,56", D("1234.56")), ("0,40178385", D("0.40178385")), ("3.000,00 euro", D("3000.00")),
])
def test_amounts_with_euro_signs_spaces_and_thousands_marks(text, amount):
    assert parse_amount(text) == amount


def test_amounts_with_too_many_decimals_are_refused():
    with pytest.raises(CellError, match="più di 10 decimali"):
        parse_amount("0,12345678901")


@pytest.mark.parametrize("value, day", [
    ("01/04/2021", date(2021, 4, 1)), ("1/4/21", date(2021, 4, 1)), ("01.04.2021", date(2021, 4, 1)),
    ("01-04-2021", date(2021, 4, 1)), ("2021-04-01", date(2021, 4, 1)), ("1 aprile 2021", date(2021, 4, 1)),
    ("01-apr-21", date(2021, 4, 1)), ("1° aprile 2021", date(2021, 4, 1)), (datetime(2021, 4, 1), date(2021, 4, 1)),
    (44287, date(2021, 4, 1)),  # an Excel day number in a workbook's numeric cell
])
def test_dates_as_offices_type_them_and_excel_dates(value, day):
    assert parse_date(value) == day


def test_an_excel_day_number_in_a_csv_says_what_it_looks_like():
    with pytest.raises(CellError, match="sembra una data di Excel salvata come numero"):
        parse_date("44287")


@pytest.mark.parametrize("value, seconds", [
    ("180", D(180)), ("180 s", D(180)), ("180 sec", D(180)), ("3:00", D(180)), ("03:20", D(200)), ("0:03:00", D(180)),
    ("3 min", D(180)), ("180,5", D("180.5")), (time(0, 3, 0), D(180)), (180, D(180)),
])
def test_aht_in_seconds_or_mm_ss(value, seconds):
    assert parse_seconds(value) == seconds


@pytest.mark.parametrize("text", ["3:75", "tre minuti", "1,234"])
def test_bad_aht_says_what_was_read(text):
    with pytest.raises(CellError, match="AHT"):
        parse_seconds(text)
