"""Results as files: the CSV of the command-line contract, and the XLSX of the web pages."""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from portal.exports import Sheet, csv_bytes, write_csv, xlsx_bytes
from portal.tariffs.rates import four_places, margin_pct, one_place

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


def result_values(result) -> tuple:
    """One result's columns as values (Decimals rounded as shown; empty for an error). The uploader's
    row id reaches staff's spreadsheets: `portal.exports` makes it inert."""
    if result.esito == "errore":
        return (result.ref, result.esito, None, None, None, None, result.message)
    return (
        result.ref,
        result.esito,
        four_places(result.rate_per_minute),
        four_places(result.labour_cost),
        four_places(result.sustainable_min),
        one_place(result.margin_labour),
        result.message,
    )


def write_results_csv(results: Iterable, stream) -> None:
    """`;`-separated, decimal comma, header row, one line per result in order."""
    write_csv(stream, RESULT_COLUMNS, (result_values(r) for r in results))


def results_csv_bytes(results: Iterable) -> bytes:
    return csv_bytes(RESULT_COLUMNS, (result_values(r) for r in results))


def results_xlsx_bytes(results: Iterable) -> bytes:
    return xlsx_bytes([Sheet("Esiti", RESULT_COLUMNS, (result_values(r) for r in results))])
