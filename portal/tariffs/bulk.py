"""The bulk check of a price list: every row checked, every bad row reported, fast.

The per-row work is parsing three cells and one Decimal division: everything that depends only
on the level and the date (the table row in force, the uplift, the sustainable minimum) is
computed once per distinct (level, date) and cached, and so are parsed dates and levels.
"""

from datetime import date
from decimal import Decimal
from itertools import islice
from operator import itemgetter

from flask_babel import gettext as _

from portal.tariffs.lookup import TableIndex
from portal.tariffs.rates import (
    RateError,
    TableRow,
    Unit,
    Verdict,
    italian_decimal,
    margin_pct,
    per_minute,
    sustainable_minimum,
    verdict,
)
from portal.tariffs.reader import CellError, FileError, parse_date, parse_level, quick_amount, read_table, sentence

RATE_COLUMNS = ("livello", "tariffa", "unita", "data")
RATE_OPTIONAL = ("riga_id", "aht_secondi")
MAX_PER_MINUTE = Decimal(100)
# One check of a price list: a tender list has hundreds or thousands of rows; the portal is
# measured at 100,000 (bench/tariffs_bulk.py); a larger file is refused, not held in memory for minutes.
MAX_ROWS = 200_000
ERRORE = "errore"

UNIT_NAMES = {
    "minuto": Unit.MINUTO, "minuti": Unit.MINUTO, "min": Unit.MINUTO,
    "ora": Unit.ORA, "ore": Unit.ORA, "h": Unit.ORA,
    "contatto": Unit.CONTATTO, "contatti": Unit.CONTATTO,
    "fte_mese": Unit.FTE_MESE, "fte": Unit.FTE_MESE, "fte/mese": Unit.FTE_MESE,
}


class Threshold:
    """What a (level, date) pair is checked against."""

    __slots__ = ("row", "uplift_pct", "sustainable_min")

    def __init__(self, row: TableRow, uplift_pct: Decimal):
        self.row = row
        self.uplift_pct = uplift_pct
        self.sustainable_min = sustainable_minimum(row.euro_minute, uplift_pct)


class CheckedRow:
    """One input row and its result: a verdict with its thresholds, or an error."""

    __slots__ = ("line", "ref", "level", "rate", "unit", "aht_seconds", "on", "rate_per_minute", "threshold", "esito", "error")

    def __init__(self, line: int, ref: str):
        self.line = line
        self.ref = ref
        self.level = self.rate = self.unit = self.aht_seconds = self.on = None
        self.rate_per_minute = self.threshold = self.error = None
        self.esito = ERRORE

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def labour_cost(self) -> Decimal:
        return self.threshold.row.euro_minute

    @property
    def sustainable_min(self) -> Decimal:
        return self.threshold.sustainable_min

    @property
    def margin_labour(self) -> Decimal:
        return margin_pct(self.rate_per_minute, self.labour_cost)

    @property
    def margin_sustainable(self) -> Decimal:
        return margin_pct(self.rate_per_minute, self.sustainable_min)

    @property
    def message(self) -> str:
        return self.error if self.error is not None else source_note(self.threshold.row, self.threshold.uplift_pct)


def source_note(row: TableRow, uplift_pct: Decimal) -> str:
    """Where the thresholds come from, in one line: decree, level, effective date, uplift."""
    decree = row.decree if row.official or "dimostrativ" in row.decree.lower() else f"{row.decree} (tabella dimostrativa)"
    note = f"{decree}, livello {row.level}, in vigore dal {row.effective_from:%d/%m/%Y}"
    return f"{note}, maggiorazione {italian_decimal(uplift_pct.normalize())}%"


class RateChecker:
    """Checks rows of a rates file against one TableIndex and one uplift source."""

    def __init__(self, tables: TableIndex, uplift, productive_hours: Decimal | None = None):
        self.tables = tables
        self.uplift = uplift
        self.productive_hours = productive_hours
        self._dates: dict = {}
        self._levels: dict = {}
        self._thresholds: dict[tuple[str, date], Threshold | str] = {}
        self._uplifts: dict[date, Decimal] = {}

    def _parsed(self, cache: dict, parse, raw):
        """parse(raw), remembered: a price list repeats its few levels and dates."""
        key = raw if isinstance(raw, str) else repr(raw)
        found = cache.get(key)
        if found is None:
            try:
                found = parse(raw)
            except CellError as exc:
                found = exc
            cache[key] = found
        if isinstance(found, CellError):
            raise found
        return found

    def threshold(self, level: str, on: date) -> Threshold | str:
        """The threshold in force, or the Italian reason why there is none (cached)."""
        key = (level, on)
        found = self._thresholds.get(key)
        if found is None:
            row = self.tables.row_for(level, on)
            if row is None:
                found = self.tables.missing_reason(level, on)
            else:
                uplift = self._uplifts.get(on)
                if uplift is None:
                    uplift = self._uplifts[on] = self.uplift.total(on)
                found = Threshold(row, uplift)
            self._thresholds[key] = found
        return found

    def columns(self, columns: dict[str, int]):
        """A function cells -> (riga_id, livello, tariffa, unita, data, aht) for this header."""
        width = max(columns.values()) + 1
        names = ("riga_id",) + RATE_COLUMNS + ("aht_secondi",)
        pick = itemgetter(*(columns.get(name, width) for name in names))  # absent: an empty cell past the end
        need = width + 1 if len(columns) < len(names) else width

        def values(cells: list) -> tuple:
            return pick(cells) if len(cells) >= need else pick(cells + [""] * (need - len(cells)))

        return values

    def check(self, line: int, values: tuple) -> CheckedRow:
        raw_ref, raw_level, raw_rate, raw_unit, raw_date, raw_aht = values
        result = CheckedRow(line, str(raw_ref).strip())
        reasons = []
        try:
            result.level = self._parsed(self._levels, parse_level, raw_level)
        except CellError as exc:
            reasons.append(str(exc))
        try:
            result.rate = quick_amount(raw_rate)
        except CellError as exc:
            reasons.append(_("tariffa: %(error)s", error=exc))
        result.unit = UNIT_NAMES.get(raw_unit) or UNIT_NAMES.get(str(raw_unit).strip().lower())
        if result.unit is None:
            reasons.append(_("unità mancante o sconosciuta (minuto, ora, contatto, fte_mese)"))
        try:
            result.on = self._parsed(self._dates, parse_date, raw_date)
        except CellError as exc:
            reasons.append(str(exc))
        if raw_aht != "" and str(raw_aht).strip():
            try:
                result.aht_seconds = quick_amount(raw_aht)
            except CellError as exc:
                reasons.append(f"AHT: {exc}")
        if not reasons:
            self._assess(result, reasons)
        if reasons:
            result.error = sentence(reasons)
        return result

    def _assess(self, result: CheckedRow, reasons: list[str]) -> None:
        try:
            rate_per_minute = per_minute(result.rate, result.unit, result.aht_seconds, self.productive_hours)
        except RateError as exc:
            reasons.append(str(exc).rstrip("."))
            return
        if rate_per_minute >= MAX_PER_MINUTE:
            reasons.append(_("tariffa al minuto fuori scala: controlla l'unità e l'AHT"))
            return
        threshold = self.threshold(result.level, result.on)
        if isinstance(threshold, str):
            reasons.append(threshold)
            return
        result.rate_per_minute = rate_per_minute
        result.threshold = threshold
        result.esito = verdict(rate_per_minute, threshold.row.euro_minute, threshold.sustainable_min).value


def check_file(data: bytes, tables: TableIndex, uplift, productive_hours: Decimal | None = None) -> list[CheckedRow]:
    """Every non-blank row of a rates file, checked, in file order (FileError if unreadable)."""
    columns, rows = read_table(data, RATE_COLUMNS, RATE_OPTIONAL)
    checker = RateChecker(tables, uplift, productive_hours)
    check, values = checker.check, checker.columns(columns)
    results = [check(line, values(cells)) for line, cells in islice(rows, MAX_ROWS + 1)]
    if len(results) > MAX_ROWS:
        raise FileError(_("Il listino ha più di %(max)s righe: dividilo in più file.", max=f"{MAX_ROWS:,}".replace(",", ".")))
    return results


def verdict_counts(results: list[CheckedRow]) -> dict[str, int]:
    counts = {v.value: 0 for v in Verdict} | {ERRORE: 0}
    for result in results:
        counts[result.esito] += 1
    return counts
