"""Which table row and which uplift are in force on a date: precomputed, then bisected.

Both indexes are built once from plain tuples (the database rows, or a test's list), so a bulk
check of 100,000 rates does no database work per row.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from portal.tariffs.rates import TableRow

UPLIFT_COMPONENTS = ("formazione", "innovazione", "organizzazione")


class TableIndex:
    """The rows in force per CCNL level: the latest effective date not after the rate's date,
    across decrees. On the same level and date an official row wins over an illustrative one,
    then the row of the later decree (rows are given in decree order)."""

    def __init__(self, rows: Iterable[TableRow]):
        chosen: dict[tuple[str, date], TableRow] = {}
        for row in rows:
            key = (row.level, row.effective_from)
            current = chosen.get(key)
            if current is None or row.official or not current.official:
                chosen[key] = row
        by_level: dict[str, list[TableRow]] = defaultdict(list)
        for (level, _effective), row in sorted(chosen.items(), key=lambda item: item[0][1]):
            by_level[level].append(row)
        self._rows = dict(by_level)
        self._dates = {level: [r.effective_from for r in rows] for level, rows in by_level.items()}

    def __bool__(self) -> bool:
        return bool(self._rows)

    def row_for(self, level: str, on: date) -> TableRow | None:
        dates = self._dates.get(level)
        if not dates:
            return None
        position = bisect_right(dates, on)
        return self._rows[level][position - 1] if position else None

    def first_date(self, level: str) -> date | None:
        dates = self._dates.get(level)
        return dates[0] if dates else None

    def missing_reason(self, level: str, on: date) -> str:
        """Why no row is in force (the first effective date helps the user)."""
        first = self.first_date(level)
        if first and first > on:
            return _("nessuna tabella ministeriale in vigore per il livello %(level)s al %(on)s (la prima decorre dal %(first)s)",
                     level=level, on=f"{on:%d/%m/%Y}", first=f"{first:%d/%m/%Y}")
        return _("nessuna tabella ministeriale in vigore per il livello %(level)s al %(on)s", level=level, on=f"{on:%d/%m/%Y}")


class UpliftIndex:
    """The association's uplift in force on a date: the sum of the three components, each the
    latest value not after that date (a component with no value yet counts zero)."""

    def __init__(self, components: Iterable[tuple[str, date, Decimal]]):
        series: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for name, effective_from, percent in components:
            series[name].append((effective_from, percent))
        self._series = {name: sorted(values) for name, values in series.items()}
        self._dates = {name: [d for d, _ in values] for name, values in self._series.items()}

    def parts(self, on: date) -> dict[str, Decimal]:
        result = {}
        for name in UPLIFT_COMPONENTS:
            position = bisect_right(self._dates.get(name, []), on)
            result[name] = self._series[name][position - 1][1] if position else Decimal(0)
        return result

    def total(self, on: date) -> Decimal:
        return sum(self.parts(on).values(), Decimal(0))


class FixedUplift:
    """The `--maggiorazione` override: one total percent for every date."""

    def __init__(self, percent: Decimal):
        self.percent = percent

    def total(self, on: date) -> Decimal:
        return self.percent
