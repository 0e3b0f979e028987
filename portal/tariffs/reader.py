"""Reading the files people bring: Italian CSV (`;`, decimal comma, dd/mm/yyyy, BOM or
Windows-1252) and Excel workbooks. Cells come out as text, except Excel's own numbers and dates.

A file that cannot be read at all raises `FileError`; a bad cell is the caller's row error.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from portal.tariffs.rates import normalise_level

XLSX_MAGIC = b"PK\x03\x04"
MAX_AMOUNT = Decimal(100_000_000)

_ITALIAN = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_THOUSANDS_ONLY = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?$")


class FileError(ValueError):
    """The whole file is unreadable (format, encoding, header); the message is Italian."""


class CellError(ValueError):
    """One cell is bad; the message is Italian and names the problem."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    ref: str = ""  # the row's own id, when it has one


# --- the file as rows of cells -------------------------------------------------------------

def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's Italian CSV), else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _header_key(name) -> str:
    """`' Unità '` -> `'unita'`: trimmed, lower case, accents dropped."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return text.strip().lower().replace(" ", "_")


def _delimiter(first_line: str) -> str:
    for candidate in (";", "\t", ","):
        if candidate in first_line:
            return candidate
    return ";"


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    text = decode(data)
    if "\x00" in text:
        raise FileError(_("Il file non è un CSV di testo né un file Excel (.xlsx) leggibile."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        for cells in reader:
            if "".join(cells).strip():  # blank lines are not rows
                yield reader.line_num, cells
    except csv.Error as exc:
        raise FileError(_("Il CSV non è leggibile alla riga %(line)s: %(error)s.", line=reader.line_num, error=exc)) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileError(_("Il file Excel non è leggibile: salvalo di nuovo come .xlsx o come CSV.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else v for v in values]
            if any(str(c).strip() for c in cells):
                yield number, cells
    finally:
        workbook.close()


def rows_of(data: bytes) -> Iterator[tuple[int, list]]:
    """(line number, cells) of every non-blank row, the header included; XLSX is recognised by content."""
    if not data.strip():
        raise FileError(_("Il file è vuoto."))
    return _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)


def read_table(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> tuple[dict[str, int], Iterator[tuple[int, list]]]:
    """The header's column positions and the non-blank data rows that follow it."""
    rows = rows_of(data)
    first = next(rows, None)
    if first is None:
        raise FileError(_("Il file è vuoto."))
    header = [_header_key(c) for c in first[1]]
    missing = [name for name in required if name not in header]
    if missing:
        expected = ";".join(required + optional)
        raise FileError(_("Mancano le colonne: %(missing)s (intestazione attesa: %(expected)s).", missing=", ".join(missing), expected=expected))
    columns = {name: header.index(name) for name in required + optional if name in header}
    return columns, rows


# --- cells ------------------------------------------------------------------------------------

def quick_amount(text) -> Decimal:
    """parse_amount's fast path for the common `1234,56` (the bulk check's hot loop)."""
    if isinstance(text, str):
        digits = text.replace(",", "", 1)
        comma = text.find(",")
        if digits.isdigit() and digits.isascii() and (comma if comma >= 0 else len(text)) <= 8:
            return Decimal(text.replace(",", ".", 1))
    return parse_amount(text)


def parse_amount(value) -> Decimal:
    """`1.234,56` -> Decimal('1234.56'); Excel numbers as they are.

    `.` is the thousands mark (`1.234`), except where it cannot be one (`0.4282`, `12.5`):
    then it is a decimal point, as in files exported by non-Italian software.
    """
    if isinstance(value, bool):
        raise CellError(_("valore non numerico"))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
        if not text:
            raise CellError(_("valore mancante"))
        if _ITALIAN.match(text) and ("," in text or _THOUSANDS_ONLY.match(text) or "." not in text):
            amount = Decimal(text.replace(".", "").replace(",", "."))
        elif _POINT_DECIMAL.match(text):
            amount = Decimal(text)
        else:
            raise CellError(_("«%(text)s» non è un numero (usa la virgola per i decimali, es. 0,4282)", text=_short(text)))
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise CellError(_("importo fuori scala"))
    return amount


def parse_date(value) -> date:
    """`dd/mm/yyyy` (also `d/m/yyyy`, `yyyy-mm-dd`) or an Excel date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        raise CellError(_("data mancante"))
    match = _DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            raise CellError(_("«%(text)s» non è una data nel formato gg/mm/aaaa", text=_short(text)))
        year, month, day = (int(g) for g in match.groups())
    if not 1900 <= year <= 2100:
        raise CellError(_("data impossibile: %(text)s", text=_short(text)))
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("data impossibile: %(text)s", text=_short(text))) from None


def parse_level(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        raise CellError(_("livello mancante"))
    level = normalise_level(text)
    if level is None:
        raise CellError(_("livello «%(text)s» sconosciuto (livelli CCNL TLC: 1, 2, 3, 4, 5, 5S, 6, 7)", text=_short(text)))
    return level


def cell(cells: list, columns: dict[str, int], name: str):
    position = columns.get(name)
    return cells[position] if position is not None and position < len(cells) else ""


def sentence(reasons: list[str]) -> str:
    """The reasons of a bad row as one sentence."""
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:] + "."


def _short(text: str, limit: int = 30) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
