"""A ministerial table file, in the layouts staff bring it:

- long, as the association keeps it: one row per level and date (`livello;decorrenza;euro_minuto`,
  with the header names matched tolerantly and the header anywhere in the first rows);
- wide, as the decree's annex prints it: levels across and dates down (`Decorrenza;1;2;3;...`),
  or dates across and levels down (`Livello;01/04/2021;01/12/2021;...`).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice

from flask_babel import gettext as _

from portal.tariffs.headers import match_header
from portal.tariffs.reader import (
    HEADER_SCAN,
    CellError,
    HeaderNotFound,
    RowError,
    as_text,
    cell,
    normalise_level,
    open_table,
    parse_amount,
    parse_date,
    parse_level,
    sentence,
    sheets_of,
)

TABLE_COLUMNS = ("livello", "decorrenza", "euro_minuto")
MAX_EURO_MINUTE = Decimal(100)


@dataclass(frozen=True)
class ParsedTableRow:
    line: int
    level: str
    effective_from: date
    euro_minute: Decimal


def _euro_minute(value) -> Decimal:
    amount = parse_amount(value)
    if amount <= 0:
        raise CellError(_("il costo al minuto deve essere maggiore di zero"))
    if amount >= MAX_EURO_MINUTE:
        raise CellError(_("costo al minuto fuori scala (le tabelle sono in euro al minuto, es. 0,4282)"))
    if amount != amount.quantize(Decimal("0.0001")):
        raise CellError(_("il costo al minuto ha al massimo 4 decimali"))
    return amount


def _is_level(value) -> bool:
    return bool(str(value).strip()) and normalise_level(str(value)) is not None and not isinstance(value, float | Decimal)


def _is_date(value) -> bool:
    try:
        parse_date(value)
    except CellError:
        return False
    return True


def _long_rows(columns: dict[str, int], rows) -> Iterator[tuple[int, list[tuple[str, object]], list[str]]]:
    for line, cells in rows:
        yield line, [(cell(cells, columns, "livello"), cell(cells, columns, "decorrenza"), cell(cells, columns, "euro_minuto"))], []


def _wide(data: bytes):
    """(line, [(level, date, value)...]) of a table with levels or dates across, or None if it is not one."""
    for _sheet, sheet_rows in sheets_of(data):
        head = list(islice(sheet_rows, HEADER_SCAN))
        for index, (_line, cells) in enumerate(head):
            levels = [p for p, c in enumerate(cells) if _is_level(c)]
            dates = [p for p, c in enumerate(cells) if _is_date(c)]
            across, key_test = (levels, "decorrenza") if len(levels) >= 2 else (dates, "livello") if len(dates) >= 2 else (None, None)
            if across is None:
                continue
            others = [p for p, c in enumerate(cells) if p not in across and str(c).strip()]
            named = [p for p in others if (m := match_header(cells[p], (key_test,))) and m.field == key_test]
            key = (named or others or [0])[0]
            headings = {p: cells[p] for p in across}

            def rows(rest=head[index + 1:], more=sheet_rows, key=key, headings=headings, by_level=key_test == "decorrenza"):
                for line, row in [*rest, *more]:
                    values = []
                    for position, heading in headings.items():
                        value = row[position] if position < len(row) else ""
                        if str(value).strip():
                            values.append((heading, row[key] if key < len(row) else "", value) if by_level
                                          else (row[key] if key < len(row) else "", heading, value))
                    yield line, values, [] if values else [_("nessun valore nella riga")]

            return rows()
    return None


def parse_table_file(data: bytes) -> tuple[list[ParsedTableRow], list[RowError]]:
    """Every good row and every bad row (with its line and reason); raises FileError if unreadable."""
    not_long = None
    try:
        layout, rows = open_table(data, TABLE_COLUMNS, TABLE_COLUMNS)
        entries = _long_rows(layout.columns, rows)
    except HeaderNotFound as exc:
        not_long, entries = exc, _wide(data)
        if entries is None:
            raise
    good: list[ParsedTableRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, date], int] = {}
    for line, values, problems in entries:
        reasons = list(problems)
        parsed = []
        for raw_level, raw_date, raw_value in values:
            cell_reasons, result = [], {}
            for name, parse, raw in (("livello", parse_level, raw_level), ("decorrenza", parse_date, raw_date),
                                     ("euro_minuto", _euro_minute, raw_value)):
                try:
                    result[name] = parse(raw)
                except CellError as exc:
                    cell_reasons.append(str(exc))
            if not cell_reasons:
                key = (result["livello"], result["decorrenza"])
                if key in seen:
                    cell_reasons.append(_("livello e decorrenza già presenti alla riga %(line)s", line=seen[key]))
                seen.setdefault(key, line)
            if cell_reasons and len(values) > 1:
                cell_reasons = [_("livello %(level)s, %(date)s: %(reason)s", level=as_text(raw_level), date=as_text(raw_date),
                                  reason="; ".join(cell_reasons))]
            reasons += cell_reasons
            parsed.append(result)
        if reasons:
            errors.append(RowError(line, sentence(reasons)))
        else:
            good += [ParsedTableRow(line, r["livello"], r["decorrenza"], r["euro_minuto"]) for r in parsed]
    if not_long is not None and not good and not errors:
        raise not_long  # a row of numbers that looked like levels, and nothing under it: not a table
    return good, errors
