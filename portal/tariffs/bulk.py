"""The bulk check of a price list: every row checked, every bad row reported, streamed.

Rows are read, checked and handed on one at a time (`check_rows`), so memory stays flat however
long the list. The per-row work is parsing the cells and one Decimal division: everything that
depends only on the level and the date (the table row in force, the uplift, the sustainable
minimum, a CCNL renewal the table predates) is computed once per distinct (level, date) and
cached, and so are parsed dates, levels and units.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from operator import itemgetter

from flask_babel import gettext as _

from portal.tariffs.lookup import RenewalIndex, TableIndex
from portal.tariffs.rates import (
    RateError,
    Shown,
    TableRow,
    Verdict,
    italian_decimal,
    per_minute,
    plausibility_warning,
    shown,
    sustainable_minimum,
    verdict,
)
from portal.tariffs.reader import (
    CellError,
    FileError,
    Layout,
    as_text,
    open_table,
    parse_date,
    parse_level,
    parse_seconds,
    parse_unit,
    quick_amount,
    sentence,
)

RATE_FIELDS = ("riga_id", "livello", "tariffa", "unita", "data", "aht_secondi")
RATE_COLUMNS = ("livello", "tariffa", "unita", "data")  # needed; riga_id and aht_secondi are optional
RATE_OPTIONAL = ("riga_id", "aht_secondi")
MAX_PER_MINUTE = Decimal(100)
# One check of a price list: a tender list has hundreds or thousands of rows; the portal is
# measured at 100,000 (bench/tariffs_bulk.py); a larger file is refused, not checked for minutes.
MAX_ROWS = 200_000
ERRORE = "errore"
FONTE = {True: "ufficiale", False: "dimostrativa"}


class Threshold:
    """What a (level, date) pair is checked against."""

    __slots__ = ("row", "uplift_pct", "uplift_illustrative", "sustainable_min", "ccnl_renewal", "note")

    def __init__(self, row: TableRow, uplift_pct: Decimal, uplift_illustrative: bool, ccnl_renewal: str):
        self.row = row
        self.uplift_pct = uplift_pct
        self.uplift_illustrative = uplift_illustrative
        self.sustainable_min = sustainable_minimum(row.euro_minute, uplift_pct)
        self.ccnl_renewal = ccnl_renewal
        self.note = source_note(row, uplift_pct, uplift_illustrative, ccnl_renewal)


def source_note(row: TableRow, uplift_pct: Decimal, uplift_illustrative: bool = False, ccnl_renewal: str = "") -> str:
    """Where the thresholds come from, in one line: decree, level, effective date, uplift, lag."""
    decree = row.decree if row.official or "dimostrativ" in row.decree.lower() else f"{row.decree} (tabella dimostrativa)"
    note = f"{decree}, livello {row.level}, in vigore dal {row.effective_from:%d/%m/%Y}"
    note += f", maggiorazione {italian_decimal(uplift_pct.normalize())}%"
    if uplift_illustrative:
        note += " (dimostrativa)"
    if ccnl_renewal:
        note += f"; tabella anteriore al {ccnl_renewal}: potrebbe non riflettere i nuovi minimi"
    return note


class CheckedRow:
    """One input row and its result: a verdict with its thresholds, or an error. It answers the
    same attributes as a stored row (`portal.tariffs.exports.SavedResult`), so one writer serves both."""

    __slots__ = ("line", "ref", "raw", "extra", "level", "rate", "unit", "aht_seconds", "on", "rate_per_minute",
                 "threshold", "esito", "error", "warning", "_shown")

    def __init__(self, line: int, ref: str, raw: tuple, extra: list):
        self.line = line
        self.ref = ref
        self.raw = raw
        self.extra = extra
        self.level = self.rate = self.unit = self.aht_seconds = self.on = None
        self.rate_per_minute = self.threshold = self.error = self._shown = None
        self.esito = ERRORE
        self.warning = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def inputs(self) -> dict[str, str]:
        """The file's cells as read, by field."""
        return {name: as_text(value) for name, value in zip(RATE_FIELDS[1:], self.raw, strict=True)}

    @property
    def shown(self) -> Shown | None:
        """The figures as every output shows them (computed exactly, rounded once); None for an error."""
        if self._shown is None and self.ok:
            self._shown = shown(self.rate_per_minute, self.threshold.row.euro_minute, self.threshold.sustainable_min)
        return self._shown

    @property
    def message(self) -> str:
        return self.error if self.error is not None else self.threshold.note

    def _table(self, attribute: str):
        return getattr(self.threshold.row, attribute) if self.ok else None

    @property
    def official(self) -> bool | None:
        return self._table("official")

    @property
    def decree(self) -> str:
        return self._table("decree") or ""

    @property
    def table_effective_from(self) -> date | None:
        return self._table("effective_from")

    @property
    def labour_cost(self) -> Decimal | None:
        return self._table("euro_minute")

    @property
    def uplift_pct(self) -> Decimal | None:
        return self.threshold.uplift_pct if self.ok else None

    @property
    def uplift_illustrative(self) -> bool | None:
        return self.threshold.uplift_illustrative if self.ok else None

    @property
    def ccnl_renewal(self) -> str:
        return self.threshold.ccnl_renewal if self.ok else ""


class RateChecker:
    """Checks the rows of a rates file against one TableIndex and one uplift source."""

    def __init__(self, tables: TableIndex, uplift, renewals: RenewalIndex | None = None, productive_hours: Decimal | None = None):
        self.tables = tables
        self.uplift = uplift
        self.renewals = renewals or RenewalIndex(())
        self.productive_hours = productive_hours
        self._caches: dict = {parse_level: {}, parse_date: {}, parse_unit: {}, parse_seconds: {}}
        self._thresholds: dict[tuple[str, date], Threshold | str] = {}
        self._by_source: dict[tuple, Threshold] = {}  # one Threshold per table row and uplift: few, however many dates
        self._uplifts: dict[date, tuple[Decimal, bool]] = {}

    def _parsed(self, parse, raw):
        """parse(raw), remembered: a price list repeats its few levels, units and dates."""
        cache = self._caches[parse]
        key = raw if isinstance(raw, str) else (type(raw), raw)
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
                    uplift = self._uplifts[on] = (self.uplift.total(on), self.uplift.illustrative(on))
                source = (id(row), *uplift, self.renewals.lag(row, on))
                found = self._by_source.get(source)
                if found is None:
                    found = self._by_source[source] = Threshold(row, *uplift, source[-1])
            self._thresholds[key] = found
        return found

    def reader(self, layout: Layout):
        """A function (line, cells) -> CheckedRow for files of this layout."""
        positions = [layout.columns.get(name) for name in RATE_FIELDS]
        width = max([p for p in positions if p is not None] + [p for p, _ in layout.extra] + [0]) + 1
        pick = itemgetter(*(width if p is None else p for p in positions))  # a field the file lacks: an empty cell past the end
        extra = [p for p, _ in layout.extra]
        need = width + 1

        def check(line: int, cells: list) -> CheckedRow:
            if len(cells) < need:
                cells = list(cells) + [""] * (need - len(cells))
            ref, *raw = pick(cells)
            return self.check(line, as_text(ref), tuple(raw), [as_text(cells[p]) for p in extra])

        return check

    def check(self, line: int, ref: str, raw: tuple, extra: list | None = None) -> CheckedRow:
        raw_level, raw_rate, raw_unit, raw_date, raw_aht = raw
        result = CheckedRow(line, ref, raw, extra or [])
        reasons = []
        try:
            result.level = self._parsed(parse_level, raw_level)
        except CellError as exc:
            reasons.append(str(exc))
        try:
            result.rate = quick_amount(raw_rate)
        except CellError as exc:
            reasons.append(_("tariffa: %(error)s", error=exc))
        try:
            result.unit = self._parsed(parse_unit, raw_unit)
        except CellError as exc:
            reasons.append(str(exc))
        try:
            result.on = self._parsed(parse_date, raw_date)
        except CellError as exc:
            reasons.append(str(exc))
        if raw_aht != "" and str(raw_aht).strip():
            try:
                result.aht_seconds = self._parsed(parse_seconds, raw_aht)
            except CellError as exc:
                reasons.append(str(exc))
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
            reasons.append(_("tariffa al minuto fuori scala (%(value)s €/min): controlla l'unità e l'AHT",
                             value=italian_decimal(round(rate_per_minute, 2))))
            return
        threshold = self.threshold(result.level, result.on)
        if isinstance(threshold, str):
            reasons.append(threshold)
            return
        result.rate_per_minute = rate_per_minute
        result.threshold = threshold
        result.esito = verdict(rate_per_minute, threshold.row.euro_minute, threshold.sustainable_min).value
        result.warning = plausibility_warning(result.rate, result.unit, rate_per_minute, result.aht_seconds)


def read_rates(data: bytes, names: dict[str, str] | None = None, strict: bool = True):
    """The layout of a rates file and its data rows (FileError / HeaderNotFound if unreadable)."""
    return open_table(data, RATE_FIELDS, RATE_COLUMNS, names, strict)


def check_rows(layout: Layout, rows, checker: RateChecker) -> Iterator[CheckedRow]:
    """Every non-blank data row checked, in file order, one at a time (FileError past MAX_ROWS)."""
    check = checker.reader(layout)
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise FileError(_("Il listino ha più di %(max)s righe: dividilo in più file.", max=f"{MAX_ROWS:,}".replace(",", ".")))
        yield check(line, cells)


def check_file(data: bytes, tables: TableIndex, uplift, names: dict[str, str] | None = None,
               renewals: RenewalIndex | None = None, productive_hours: Decimal | None = None) -> list[CheckedRow]:
    """Every row of a small rates file, checked (FileError if unreadable). Long lists stream through `check_rows`."""
    layout, rows = read_rates(data, names)
    return list(check_rows(layout, rows, RateChecker(tables, uplift, renewals, productive_hours)))


class Tally:
    """Verdict counts (and warnings) as rows go by."""

    def __init__(self):
        self.counts = {v.value: 0 for v in Verdict} | {ERRORE: 0}
        self.warnings = 0

    def add(self, result) -> None:
        self.counts[result.esito] += 1
        self.warnings += bool(result.warning)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, int]:
        return self.counts | {"avvisi": self.warnings}


def verdict_counts(results) -> dict[str, int]:
    tally = Tally()
    for result in results:
        tally.add(result)
    return tally.counts
