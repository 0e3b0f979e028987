"""Results as files: the CSV of the command-line contract, and the XLSX of the web pages."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from portal.tariffs.rates import four_places, italian_decimal, margin_pct, one_place

RESULT_COLUMNS = (
    "riga_id", "esito", "tariffa_minuto", "costo_lavoro_minuto", "minimo_sostenibile_minuto", "margine_pct", "messaggio",
)


class SavedResult(NamedTuple):
    """A stored row read as plain columns: 100,000 of them load in seconds, not minutes."""

    ref: str
    esito: str
    rate_per_minute: Decimal | None
    labour_cost: Decimal | None
    sustainable_min: Decimal | None
    message: str

    @property
    def margin_labour(self) -> Decimal:
        return margin_pct(self.rate_per_minute, self.labour_cost)


# A text starting like this is a formula to Excel (`=cmd|' /C calc'!A0`): the uploader's row id
# would run on the computer of whoever opens the download, staff included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """The text as a spreadsheet shows it, never as a formula: a leading apostrophe when needed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def result_values(result) -> tuple:
    """One result's columns as values (Decimals rounded as shown; empty for an error)."""
    if result.esito == "errore":
        return (inert(result.ref), result.esito, None, None, None, None, result.message)
    return (
        inert(result.ref),
        result.esito,
        four_places(result.rate_per_minute),
        four_places(result.labour_cost),
        four_places(result.sustainable_min),
        one_place(result.margin_labour),
        result.message,
    )


def _text(value) -> str:
    return "" if value is None else italian_decimal(value) if not isinstance(value, str) else value


def write_results_csv(results: Iterable, stream) -> None:
    """`;`-separated, decimal comma, header row, one line per result in order."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    writer.writerows([_text(v) for v in result_values(r)] for r in results)


def results_csv_bytes(results: Iterable) -> bytes:
    buffer = io.StringIO()
    write_results_csv(results, buffer)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[tuple, Iterable[tuple]]]) -> bytes:
    """A workbook of `{sheet title: (header, rows)}`; numbers stay numbers for Excel."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def results_xlsx_bytes(results: Iterable) -> bytes:
    return xlsx_bytes({"Esiti": (RESULT_COLUMNS, (result_values(r) for r in results))})
