"""Reading the files people bring: Italian CSV (`;`, decimal comma, dd/mm/yyyy, BOM or
Windows-1252) and Excel workbooks, with title lines, notes and blank lines above the header,
the list on any sheet, extra columns (client, notes) beside the needed ones.

`open_table()` finds the header (`headers.py` matches the names) and returns a `Layout` (the
sheet and the header line used, each field's column, the other columns) with the data rows
that follow it, streamed. A file that cannot be read at all raises `FileError`; a header that
cannot be found raises `HeaderNotFound`, which says which line it took, what is missing and
the closest headers it saw. A bad cell is the caller's row error: the `parse_*` functions
raise `CellError` with a message that says what was read.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from itertools import chain, islice

from flask_babel import gettext as _

from portal.tariffs.headers import FIELD_LABELS, closest, fold, header_key, match_header
from portal.tariffs.rates import LEVELS, Unit

XLSX_MAGIC = b"PK\x03\x04"
MAX_AMOUNT = Decimal(100_000_000)
MAX_DECIMALS = 10  # a rate as typed keeps up to 10 decimals (0,40178385 €/min)
HEADER_SCAN = 30  # the header is looked for in the first 30 non-blank rows of each sheet
PREVIEW_ROWS = 12

_ITALIAN = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_THOUSANDS_ONLY = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_SPACE_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f'’](?=\d{3}(\D|$))")
_CURRENCY = re.compile(r"(€|\beuro\b|\beur\b)", re.IGNORECASE)
_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?$", re.ASCII)
_WORD_DATE = re.compile(r"^(\d{1,2})\s*(?:°|º)?\s*[\s/.\-]\s*([a-z]+)\.?\s*[\s/.\-]\s*(\d{4}|\d{2})$")
_MONTHS = {
    name: number
    for number, names in enumerate((
        ("gennaio", "gen", "january", "jan"), ("febbraio", "feb", "february"), ("marzo", "mar", "march"),
        ("aprile", "apr", "april"), ("maggio", "mag", "may"), ("giugno", "giu", "june", "jun"),
        ("luglio", "lug", "july", "jul"), ("agosto", "ago", "august", "aug"), ("settembre", "set", "sett", "september", "sep"),
        ("ottobre", "ott", "october", "oct"), ("novembre", "nov", "november"), ("dicembre", "dic", "december", "dec"),
    ), start=1)
    for name in names
}
_EXCEL_SERIALS = (32874, 73051)  # 01/01/1990 .. 31/12/2099 as Excel day numbers


class FileError(ValueError):
    """The whole file is unreadable (format, encoding, header); the message is Italian."""


class CellError(ValueError):
    """One cell is bad; the message is Italian and names the problem."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    ref: str = ""  # the row's own id, when it has one


# --- the file as sheets of rows -----------------------------------------------------------------

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


def _delimiter(lines: list[str]) -> str:
    """The separator that splits most of the first lines (a title line above the header has none)."""
    def score(candidate: str) -> int:
        return sum(1 for line in lines if line.count(candidate) >= 2)

    return max((";", "\t", ","), key=score) if lines else ";"


def _non_blank(rows: Iterable[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    for number, cells in rows:
        if any(str(c).strip() for c in cells):
            yield number, cells


def _csv_rows(text: str) -> Iterator[tuple[int, list]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:20000].splitlines()[:HEADER_SCAN]))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise FileError(_("Il CSV non è leggibile alla riga %(line)s: %(error)s.", line=reader.line_num, error=exc)) from exc


def _excel_value(value):
    return "" if value is None else value


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, Iterator[tuple[int, list]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise FileError(_("Il file Excel non è leggibile: salvalo di nuovo come .xlsx o come CSV.")) from exc
    try:
        for sheet in workbook.worksheets:
            rows = ((n, [_excel_value(v) for v in values]) for n, values in enumerate(sheet.iter_rows(values_only=True), start=1))
            yield sheet.title, rows
    finally:
        workbook.close()


def sheets_of(data: bytes) -> Iterator[tuple[str, Iterator[tuple[int, list]]]]:
    """(sheet name, non-blank rows as (line, cells)) of each sheet; a CSV is one sheet named ""."""
    if not data.strip():
        raise FileError(_("Il file è vuoto."))
    if data.startswith(XLSX_MAGIC):
        for name, rows in _xlsx_sheets(data):
            yield name, _non_blank(rows)
        return
    text = decode(data)
    if "\x00" in text:
        raise FileError(_("Il file non è un CSV di testo né un file Excel (.xlsx) leggibile."))
    yield "", _non_blank(_csv_rows(text))


# --- the header ---------------------------------------------------------------------------------

@dataclass
class Layout:
    """How a file was read: where its header is and which column holds each field."""

    sheet: str
    header_line: int
    headers: list[str]  # the header row as written
    columns: dict[str, int]  # field -> position
    extra: list[tuple[int, str]] = field(default_factory=list)  # (position, header) of the other columns

    @property
    def names(self) -> dict[str, str]:
        """field -> the header as written in the file."""
        return {name: self.headers[position] for name, position in self.columns.items()}

    def where(self) -> str:
        if self.sheet:
            return _("foglio «%(sheet)s», riga %(line)s", sheet=self.sheet, line=self.header_line)
        return _("riga %(line)s", line=self.header_line)


class HeaderNotFound(FileError):
    """No row of the first ones names every needed field: what was found, and what looks closest."""

    def __init__(self, sheet: str, line: int | None, headers: list[str], missing: list[str], ambiguous: dict[str, list[str]],
                 preview: list[tuple[int, list]]):
        self.sheet, self.line, self.headers, self.missing, self.ambiguous = sheet, line, headers, missing, ambiguous
        self.preview = preview
        super().__init__(self._message())

    def _message(self) -> str:
        if self.line is None:
            return _("Intestazione non trovata: nessuna delle prime righe contiene i nomi delle colonne.")
        where = _("foglio «%(sheet)s», riga %(line)s", sheet=self.sheet, line=self.line) if self.sheet else _("riga %(line)s", line=self.line)
        parts = []
        if self.missing:
            hints = []
            for name in self.missing:
                near = closest(name, self.headers)
                hint = _("%(field)s (intestazioni più simili: %(near)s)", field=name, near=", ".join(f"«{h}»" for h in near)) if near else name
                hints.append(hint)
            parts.append(_("mancano le colonne: %(missing)s", missing="; ".join(hints)))
        for name, headers in self.ambiguous.items():
            parts.append(_("più colonne possono essere %(field)s: %(headers)s", field=name, headers=", ".join(f"«{h}»" for h in headers)))
        seen = ", ".join(f"«{h}»" for h in self.headers if str(h).strip())
        return _("Intestazione letta alla %(where)s: %(problems)s. Intestazioni trovate: %(seen)s. Indica le colonne da usare.",
                 where=where, problems="; ".join(parts), seen=seen or "—")


def _assign(cells: list, fields: tuple[str, ...], names: dict[str, str], strict: bool) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Columns recognised in a row: a name the user gave wins over the synonyms (and, when
    `strict`, is the only way for its field); two equally good columns for one field are
    reported as ambiguous, never picked between."""
    given = {header_key(text): name for name, text in names.items()}
    by_synonym = tuple(f for f in fields if not (strict and f in names))
    best: dict[str, tuple[tuple, list[int]]] = {}
    for position, value in enumerate(cells):
        key = header_key(value)
        if not key:
            continue
        if key in given:
            rank, name = (2, 99), given[key]
        else:
            found = match_header(value, by_synonym)
            if found is None:
                continue
            rank, name = (int(found.exact), found.length), found.field
        current = best.get(name)
        if current is None or rank > current[0]:
            best[name] = (rank, [position])
        elif rank == current[0]:
            current[1].append(position)
    columns = {name: positions[0] for name, (_rank, positions) in best.items() if len(positions) == 1}
    ambiguous = {name: [str(cells[p]) for p in positions] for name, (_rank, positions) in best.items() if len(positions) > 1}
    return columns, ambiguous


def open_table(data: bytes, fields: tuple[str, ...], required: tuple[str, ...], names: dict[str, str] | None = None,
               strict: bool = True) -> tuple[Layout, Iterator[tuple[int, list]]]:
    """The layout of the first sheet whose header names every required field, and its data rows.

    `names` (field -> header as written) are the columns the user named: on the command line
    (`--colonna`) or in the web's mapping step (strict: a named column must be there), or the
    names a company used last time (`strict=False`: hints, the synonyms still apply).
    """
    names = {k: v for k, v in (names or {}).items() if v}
    best = None  # (found, sheet, line, cells, missing, ambiguous, preview)
    for sheet, rows in sheets_of(data):
        head = list(islice(rows, HEADER_SCAN))
        for index, (line, cells) in enumerate(head):
            columns, ambiguous = _assign(cells, fields, names, strict)
            missing = [name for name in required if name not in columns]
            if not missing and not ambiguous:
                headers = [str(c).strip() for c in cells]
                used = set(columns.values())
                extra = [(p, h) for p, h in enumerate(headers) if h and p not in used]
                return Layout(sheet, line, headers, columns, extra), chain(head[index + 1:], rows)
            found = sum(1 for name in required if name in columns)
            if best is None or found > best[0]:
                best = (found, sheet, line, [str(c).strip() for c in cells], missing, ambiguous, head[:PREVIEW_ROWS])
    if best is None:
        raise FileError(_("Il file è vuoto."))
    found, sheet, line, headers, missing, ambiguous, preview = best
    if found == 0 and not names:
        raise HeaderNotFound(sheet, None, headers, [str(FIELD_LABELS.get(r, r)) for r in required], {}, preview)
    given = set(names) if strict else set()
    missing_labels = [_("%(field)s («%(name)s» non trovata)", field=FIELD_LABELS.get(m, m), name=names[m]) if m in given
                      else str(FIELD_LABELS.get(m, m)) for m in missing]
    raise HeaderNotFound(sheet, line, headers, missing_labels, {str(FIELD_LABELS.get(k, k)): v for k, v in ambiguous.items()},
                         preview)


def preview(data: bytes, rows: int = PREVIEW_ROWS) -> list[tuple[str, list[tuple[int, list]]]]:
    """The first non-blank rows of each sheet, for the mapping step."""
    return [(sheet, list(islice(sheet_rows, rows))) for sheet, sheet_rows in sheets_of(data)]


def cell(cells: list, columns: dict[str, int], name: str):
    position = columns.get(name)
    return cells[position] if position is not None and position < len(cells) else ""


def as_text(value) -> str:
    """A cell as the user sees it: dates as dd/mm/yyyy, whole numbers without `.0`, decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == time() else f"{value:%d/%m/%Y %H:%M:%S}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value).strip()


def sentence(reasons: list[str]) -> str:
    """The reasons of a bad row as one sentence."""
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:] + "."


def _short(text, limit: int = 30) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _printable(text: str) -> str:
    """The text, or CellError when it hides control or formatting characters (e.g. a right-to-left mark)."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise CellError(_("«%(text)s» contiene caratteri nascosti", text=_short(text.encode("unicode_escape").decode())))
    return text


# --- cells: amounts ------------------------------------------------------------------------------

def quick_amount(text) -> Decimal:
    """parse_amount's fast path for the common `1234,56` (the bulk check's hot loop)."""
    if isinstance(text, str):
        digits = text.replace(",", "", 1)
        comma = text.find(",")
        if digits.isdigit() and digits.isascii() and (comma if comma >= 0 else len(text)) <= 8 and len(text) - comma <= MAX_DECIMALS + 1:
            return Decimal(text.replace(",", ".", 1))
    return parse_amount(text)


def parse_amount(value) -> Decimal:
    """`1.234,56` -> Decimal('1234.56'); `€ 1 234,56`, `27,50 €`, `EUR 3.150` too; Excel numbers as they are.

    `.` is the thousands mark (`1.234`), except where it cannot be one (`0.4282`, `12.5`):
    then it is a decimal point, as in files exported by non-Italian software.
    """
    if isinstance(value, bool):
        raise CellError(_("valore non numerico"))
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise CellError(_("valore non numerico")) from None
    else:
        raw = _printable(str(value).strip())
        text = _SPACE_THOUSANDS.sub("", _CURRENCY.sub("", raw)).replace("\u00a0", "").replace(" ", "")
        if not text:
            raise CellError(_("valore mancante"))
        if _ITALIAN.match(text) and ("," in text or _THOUSANDS_ONLY.match(text) or "." not in text):
            amount = Decimal(text.replace(".", "").replace(",", "."))
        elif _POINT_DECIMAL.match(text):
            amount = Decimal(text)
        else:
            raise CellError(_("«%(text)s» non è un numero (usa la virgola per i decimali, es. 0,4282)", text=_short(raw)))
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise CellError(_("importo fuori scala"))
    if -amount.as_tuple().exponent > MAX_DECIMALS:
        raise CellError(_("«%(text)s» ha più di %(n)s decimali", text=_short(value), n=MAX_DECIMALS))
    return amount


# --- cells: dates --------------------------------------------------------------------------------

def _checked_date(year: int, month: int, day: int, text: str) -> date:
    if not 1900 <= year <= 2100:
        raise CellError(_("data impossibile: %(text)s", text=_short(text)))
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("data impossibile: %(text)s", text=_short(text))) from None


def _year(text: str) -> int:
    """A two-digit year is of this century (`21` -> 2021): the way Italian offices type it."""
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_date(value) -> date:
    """`dd/mm/yyyy` and what offices type (`1/4/21`, `01.04.2021`, `01-04-2021`, `1 aprile 2021`,
    `01-apr-21`, `2021-04-01`), Excel dates and Excel's day numbers in a workbook's numeric cell."""
    if isinstance(value, datetime):
        return _checked_date(value.year, value.month, value.day, as_text(value))
    if isinstance(value, date):
        return _checked_date(value.year, value.month, value.day, as_text(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1] and float(value).is_integer():
            return date(1899, 12, 30) + timedelta(days=int(value))
        raise CellError(_("«%(text)s» non è una data nel formato gg/mm/aaaa", text=as_text(value)))
    text = _printable(str(value).strip())
    if not text:
        raise CellError(_("data mancante"))
    if match := _DATE.match(text):
        day, month, year = match.groups()
        return _checked_date(_year(year), int(month), int(day), text)
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _checked_date(year, month, day, text)
    if (match := _WORD_DATE.match(text.lower())) and match.group(2) in _MONTHS:
        day, month, year = match.groups()
        return _checked_date(_year(year), _MONTHS[month], int(day), text)
    if text.isascii() and text.isdigit() and _EXCEL_SERIALS[0] <= int(text) <= _EXCEL_SERIALS[1]:
        raise CellError(_("«%(text)s» sembra una data di Excel salvata come numero: formatta la colonna come data (gg/mm/aaaa)", text=text))
    raise CellError(_("«%(text)s» non è una data nel formato gg/mm/aaaa", text=_short(text)))


# --- cells: levels, units, AHT ---------------------------------------------------------------------

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
_LEVEL = re.compile(r"^(?:(?:livello|liv|lvl|level)\.?\s*)?(\d|i{1,3}|iv|vi{0,2}|v)\s*(?:°|º|\^|o|a)?\s*(s|super|sup\.?)?$")


def normalise_level(text: str) -> str | None:
    """The CCNL TLC level in the spellings people use: `3`, `III`, `Liv. 3`, `livello 3°`, `3^`,
    `5S`, `5 S`, `5 super`, `V super`, `Quadri`, `7Q`; None when it is none of them."""
    key = " ".join(text.lower().split())
    if key in ("q", "quadri", "quadro", "7q", "7 q", "7 quadri"):
        return "7"
    match = _LEVEL.match(key)
    if not match:
        return None
    number, superior = match.groups()
    number = _ROMAN.get(number, number)
    level = number + ("S" if superior else "")
    return level if level in LEVELS else None


def parse_level(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _printable(str(value).strip())
    if not text:
        raise CellError(_("livello mancante"))
    level = normalise_level(text)
    if level is None:
        raise CellError(_("livello «%(text)s» sconosciuto (livelli CCNL TLC: 1, 2, 3, 4, 5, 5S, 6, 7)", text=_short(text)))
    return level


# unit key (after fold, without "euro" and linking words) -> unit
UNIT_NAMES = {
    **dict.fromkeys(("minuto", "minuti", "min", "m", "minute", "minutes", "tariffa minuto"), Unit.MINUTO),
    **dict.fromkeys(("ora", "ore", "h", "hr", "orario", "oraria", "orari", "hour", "hours", "tariffa oraria"), Unit.ORA),
    **dict.fromkeys(("contatto", "contatti", "contatto gestito", "contatti gestiti", "chiamata", "chiamate",
                     "chiamata gestita", "call", "contact", "interazione", "pratica contatto"), Unit.CONTATTO),
    **dict.fromkeys(("fte mese", "fte", "fte mensile", "mese fte", "canone mensile fte", "canone fte", "operatore mese",
                     "mese operatore", "fte month", "full time equivalent mese", "fte al mese"), Unit.FTE_MESE),
}
_LINKING = {"euro", "eur", "per", "al", "all", "alla", "a", "ad", "in", "di", "x", "ogni", "unita", "tariffa"}


def unit_key(text: str) -> str:
    words = fold(text).split()
    kept = [w for w in words if w not in _LINKING]
    return " ".join(kept) if kept else " ".join(words)


def parse_unit(value) -> Unit:
    text = _printable(str(value).strip())
    found = UNIT_NAMES.get(text) or UNIT_NAMES.get(unit_key(text)) or UNIT_NAMES.get(fold(text))
    if found is None:
        if not text:
            raise CellError(_("unità mancante (minuto, ora, contatto, fte_mese)"))
        raise CellError(_("unità «%(text)s» sconosciuta (minuto, ora, contatto, fte_mese; anche €/min, orario, per contatto, FTE/mese)",
                          text=_short(text)))
    return found


_SECONDS_SUFFIX = re.compile(r"^(.*?)\s*(s|sec|secs|secondi|secondo|seconds|\")$", re.IGNORECASE)
_MINUTES_SUFFIX = re.compile(r"^(.*?)\s*(min|minuti|minuto|minutes|')$", re.IGNORECASE)
_CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})$", re.ASCII)


def parse_seconds(value) -> Decimal:
    """Average handling time in seconds: `180`, `180 s`, `3:00` (mm:ss), `0:03:00`, `3 min`, an Excel time."""
    if isinstance(value, time):
        return Decimal(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, timedelta):
        return Decimal(int(value.total_seconds()))
    if isinstance(value, datetime):
        raise CellError(_("AHT: «%(text)s» è una data, non una durata", text=as_text(value)))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _seconds_amount(value, value)
    text = _printable(str(value).strip())
    if match := _CLOCK.match(text):
        hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        if seconds >= 60 or (hours and minutes >= 60):
            raise CellError(_("AHT: «%(text)s» non è una durata valida (mm:ss)", text=_short(text)))
        return Decimal(hours * 3600 + minutes * 60 + seconds)
    if match := _MINUTES_SUFFIX.match(text):
        return _seconds_amount(match.group(1), text) * 60
    if match := _SECONDS_SUFFIX.match(text):
        text = match.group(1)
    return _seconds_amount(text, value)


def _seconds_amount(value, shown) -> Decimal:
    try:
        amount = parse_amount(value)
    except CellError:
        raise CellError(_("AHT: «%(text)s» non è una durata in secondi (es. 180 o 3:00)", text=_short(as_text(shown)))) from None
    if -amount.as_tuple().exponent > 2:
        raise CellError(_("AHT: al massimo due decimali di secondo («%(text)s»)", text=_short(as_text(shown))))
    return amount
