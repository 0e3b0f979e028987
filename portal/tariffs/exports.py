"""Results as files: the command line's CSV contract, and the web's CSV and XLSX downloads.

One column layout, one set of values, whatever the output: the contract's columns first
(`CONTRACT_COLUMNS`, unchanged since issue 5, then `riga_file`, `fonte`, `avviso`); the web's
downloads add the details that trace a row back to its file and to the table used
(`DETAIL_COLUMNS`); the file's own other columns (client, notes) come last, under their own
headers. Figures are those every page shows (`rates.shown`: computed exactly, rounded once).
Rows stream from a generator: a download of 100,000 rows never sits whole in memory.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from portal.tariffs.bulk import FONTE, RATE_FIELDS
from portal.tariffs.rates import Shown, italian_decimal

CONTRACT_COLUMNS = (
    "riga_id", "esito", "tariffa_minuto", "costo_lavoro_minuto", "minimo_sostenibile_minuto", "margine_pct", "messaggio",
    "riga_file", "fonte", "avviso",
)
RESULT_COLUMNS = CONTRACT_COLUMNS  # the command line's output
DETAIL_COLUMNS = (
    "margine_minimo_pct", "decreto", "decorrenza_tabella", "maggiorazione_pct", "maggiorazione_dimostrativa",
    "nota_ccnl", "livello_letto", "tariffa_letta", "unita_letta", "data_letta", "aht_letto",
)
READ_FIELDS = RATE_FIELDS[1:]  # livello, tariffa, unita, data, aht_secondi: the cells as read
# Text starting like this is a formula to Excel (`=cmd|' /C calc'!A0`): what a member uploaded
# would run on the computer of whoever opens the download, staff included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SavedResult(NamedTuple):
    """A stored row read as plain columns (100,000 of them stream in seconds, not minutes)."""

    line: int | None
    ref: str
    esito: str
    rate_per_minute: Decimal | None
    labour_cost: Decimal | None
    sustainable_min: Decimal | None
    margin_labour: Decimal | None
    margin_sustainable: Decimal | None
    message: str
    warning: str
    official: bool | None
    decree: str
    table_effective_from: date | None
    uplift_pct: Decimal | None
    uplift_illustrative: bool | None
    ccnl_renewal: str
    inputs: dict
    extra: list

    @property
    def shown(self) -> Shown | None:
        if self.rate_per_minute is None:
            return None
        return Shown(self.rate_per_minute, self.labour_cost, self.sustainable_min, self.margin_labour, self.margin_sustainable)


SAVED_COLUMNS = SavedResult._fields


def inert(text: str) -> str:
    """The text as a spreadsheet shows it, never as a formula: a leading apostrophe when needed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header(extra_names: list[str], detail: bool) -> tuple:
    return CONTRACT_COLUMNS + (DETAIL_COLUMNS if detail else ()) + tuple(inert(str(name)) for name in extra_names)


def result_values(result, detail: bool = False) -> tuple:
    """One result's columns as values: Decimals as shown, dates as dates, the user's text made inert."""
    figures = result.shown
    official = result.official
    values = (
        inert(result.ref),
        result.esito,
        figures.rate_per_minute if figures else None,
        figures.labour_cost if figures else None,
        figures.sustainable_min if figures else None,
        figures.margin_labour if figures else None,
        result.message,
        result.line,
        FONTE[official] if official is not None else "",
        result.warning,
    )
    if detail:
        read = result.inputs
        values += (
            figures.margin_sustainable if figures else None,
            result.decree,
            result.table_effective_from,
            result.uplift_pct.normalize() if result.uplift_pct is not None else None,
            "" if result.uplift_illustrative is None else "sì" if result.uplift_illustrative else "no",
            result.ccnl_renewal,
            *(inert(str(read.get(name, ""))) for name in READ_FIELDS),
        )
    return values + tuple(inert(str(value)) for value in result.extra)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return italian_decimal(value)
    return str(value)


def write_results_csv(results: Iterable, stream, extra_names: list[str] = (), detail: bool = False) -> None:
    """`;`-separated, decimal comma, header row, one line per result in order (the CLI's contract)."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\n")
    writer.writerow(header(list(extra_names), detail))
    for result in results:
        writer.writerow([_text(v) for v in result_values(result, detail)])


class _Line:
    """A file-like sink that hands back what csv.writer wrote, one row at a time."""

    def __init__(self):
        self.value = ""

    def write(self, text: str) -> None:
        self.value = text


def results_csv_stream(results: Iterable, extra_names: list[str]) -> Iterator[bytes]:
    """The web's CSV download, streamed: UTF-8 with BOM, `;`, decimal comma, CRLF, as Excel opens it."""
    line = _Line()
    writer = csv.writer(line, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(extra_names, detail=True))
    yield "\ufeff".encode() + line.value.encode()
    chunk = []
    for result in results:
        writer.writerow([_text(v) for v in result_values(result, detail=True)])
        chunk.append(line.value)
        if len(chunk) == 1000:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode()


def write_results_xlsx(results: Iterable, target, extra_names: list[str], about: list[tuple[str, str]] = ()) -> None:
    """The web's XLSX download into `target` (a path or a binary file): numbers stay numbers,
    shown with the digits every page shows; a second sheet says how the file was read and checked.
    XlsxWriter's constant-memory mode writes row by row, so a long list never sits in memory."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    sheet = workbook.add_worksheet("Esiti")
    formats = {4: workbook.add_format({"num_format": "0.0000"}), 1: workbook.add_format({"num_format": "0.0"}),
               "date": workbook.add_format({"num_format": "dd/mm/yyyy"}), "bold": workbook.add_format({"bold": True})}
    columns = header(extra_names, detail=True)
    digits = {"tariffa_minuto": 4, "costo_lavoro_minuto": 4, "minimo_sostenibile_minuto": 4, "margine_pct": 1,
              "margine_minimo_pct": 1}
    cell_format = [formats.get(digits.get(name)) for name in columns]
    sheet.write_row(0, 0, columns, formats["bold"])
    sheet.freeze_panes(1, 0)
    for number, result in enumerate(results, start=1):
        for position, value in enumerate(result_values(result, detail=True)):
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                sheet.write_number(number, position, value, cell_format[position])
            elif isinstance(value, date):
                sheet.write_datetime(number, position, value, formats["date"])
            elif isinstance(value, int):
                sheet.write_number(number, position, value)
            else:
                sheet.write_string(number, position, value)
    notes = workbook.add_worksheet("Lettura e fonti")
    for number, (label, text) in enumerate(about):
        notes.write_string(number, 0, label, formats["bold"])
        notes.write_string(number, 1, text)
    workbook.close()


def table_csv(header: tuple, rows: Iterable[tuple], notes: Iterable[tuple] = ()) -> bytes:
    """A small table as Excel opens it: UTF-8 with BOM, `;`, decimal comma; notes after a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_text(v) for v in row] for row in rows)
    notes = list(notes)
    if notes:
        writer.writerow(())
        writer.writerows(notes)
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(sheets: dict[str, tuple[tuple, Iterable[tuple]]]) -> bytes:
    """A small workbook of `{sheet title: (header, rows)}`: numbers stay numbers, dates dates."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    bold, day = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "dd/mm/yyyy"})
    for title, (head, rows) in sheets.items():
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, head, bold)
        for number, row in enumerate(rows, start=1):
            for position, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(number, position, value, day)
                elif isinstance(value, Decimal | int | float) and not isinstance(value, bool):
                    sheet.write_number(number, position, value)
                elif value is not None:
                    sheet.write_string(number, position, inert(str(value)))
    workbook.close()
    return buffer.getvalue()
