"""A ministerial table as the association keeps it: `livello;decorrenza;euro_minuto`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal.tariffs.reader import CellError, RowError, cell, parse_amount, parse_date, parse_level, read_table, sentence

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


def parse_table_file(data: bytes) -> tuple[list[ParsedTableRow], list[RowError]]:
    """Every good row and every bad row (with its line and reason); raises FileError if unreadable."""
    columns, rows = read_table(data, TABLE_COLUMNS)
    good: list[ParsedTableRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, date], int] = {}
    for line, cells in rows:
        reasons, values = [], {}
        for name, parse in (("livello", parse_level), ("decorrenza", parse_date), ("euro_minuto", _euro_minute)):
            try:
                values[name] = parse(cell(cells, columns, name))
            except CellError as exc:
                reasons.append(str(exc))
        if not reasons:
            key = (values["livello"], values["decorrenza"])
            if key in seen:
                reasons.append(_("livello e decorrenza già presenti alla riga %(line)s", line=seen[key]))
            seen.setdefault(key, line)
        if reasons:
            errors.append(RowError(line, sentence(reasons)))
        else:
            good.append(ParsedTableRow(line, values["livello"], values["decorrenza"], values["euro_minuto"]))
    return good, errors
