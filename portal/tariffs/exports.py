"""Results as files: the command line's CSV contract, and the web's CSV and XLSX downloads.

One column layout, one set of values, whatever the output: the contract's columns first
(`CONTRACT_COLUMNS`, unchanged since issue 5, then `riga_file`, `fonte`, `avviso`); the web's
downloads add the details that trace a row back to its file and to the table used
(`DETAIL_COLUMNS`); the file's own other columns (client, notes) come last, under their own
headers. Figures are those every page shows (`rates.shown`: computed exactly, rounded once).
Rows stream from a generator: a download of 100,000 rows never sits whole in memory.
"""

import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from portal.exports import Sheet, write_csv, xlsx_bytes
from portal.tariffs.bulk import FONTE, RATE_FIELDS
from portal.tariffs.rates import Shown

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
DIGITS = {"tariffa_minuto": "0.0000", "costo_lavoro_minuto": "0.0000", "minimo_sostenibile_minuto": "0.0000",
          "margine_pct": "0.0", "margine_minimo_pct": "0.0"}


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


def header(extra_names: list[str], detail: bool) -> tuple:
    return CONTRACT_COLUMNS + (DETAIL_COLUMNS if detail else ()) + tuple(str(name) for name in extra_names)


def result_values(result, detail: bool = False) -> tuple:
    """One result's columns as values: Decimals as shown, dates as dates. What the uploader typed
    reaches staff's spreadsheets: `portal.exports` makes it inert."""
    figures = result.shown
    official = result.official
    values = (
        result.ref,
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
            *(str(read.get(name, "")) for name in READ_FIELDS),
        )
    return values + tuple(str(value) for value in result.extra)


def write_results_csv(results: Iterable, stream, extra_names: list[str] = ()) -> None:
    """The command line's CSV: `;`, decimal comma, header row, one line per result, as they are checked."""
    write_csv(stream, header(list(extra_names), detail=False), (result_values(r) for r in results))


def results_csv_stream(results: Iterable, extra_names: list[str]) -> Iterator[bytes]:
    """The web's CSV download, streamed in chunks as it is written: Excel's UTF-8 with BOM, `;`, decimal comma."""
    values = (result_values(r, detail=True) for r in results)
    buffer = io.StringIO()
    write_csv(buffer, header(extra_names, detail=True), ())
    yield "\ufeff".encode() + buffer.getvalue().encode()
    while chunk := list(islice(values, 2000)):
        buffer = io.StringIO()
        write_csv(buffer, None, chunk)
        yield buffer.getvalue().encode()


def results_xlsx(results: Iterable, extra_names: list[str], about: list[tuple[str, str]] = ()) -> bytes:
    """The web's XLSX download: numbers stay numbers, shown with the digits every page shows; a
    second sheet says how the file was read and what it was checked against."""
    columns = header(extra_names, detail=True)
    return xlsx_bytes([
        Sheet("Esiti", columns, (result_values(r, detail=True) for r in results), formats=[DIGITS.get(c) for c in columns]),
        Sheet("Lettura e fonti", ("voce", "valore"), about),
    ])
