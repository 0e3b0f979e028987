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
    latest value not after that date (a component with no value yet counts zero). A value may be
    illustrative (the demo's 5 + 4 + 6 %): the uplift is then labelled so wherever it is shown."""

    def __init__(self, components: Iterable[tuple]):
        series: dict[str, list[tuple[date, Decimal, bool]]] = defaultdict(list)
        for name, effective_from, percent, *illustrative in components:
            series[name].append((effective_from, percent, bool(illustrative and illustrative[0])))
        self._series = {name: sorted(values) for name, values in series.items()}
        self._dates = {name: [value[0] for value in values] for name, values in self._series.items()}

    def _in_force(self, name: str, on: date) -> tuple[date, Decimal, bool] | None:
        position = bisect_right(self._dates.get(name, []), on)
        return self._series[name][position - 1] if position else None

    def parts(self, on: date) -> dict[str, Decimal]:
        return {name: value[1] if (value := self._in_force(name, on)) else Decimal(0) for name in UPLIFT_COMPONENTS}

    def total(self, on: date) -> Decimal:
        return sum(self.parts(on).values(), Decimal(0))

    def illustrative(self, on: date) -> bool:
        """True when a component in force on that date is an illustrative value."""
        return any(value[2] for name in UPLIFT_COMPONENTS if (value := self._in_force(name, on)))


class FixedUplift:
    """The `--maggiorazione` override: one total percent for every date, given by the user."""

    def __init__(self, percent: Decimal):
        self.percent = percent

    def total(self, on: date) -> Decimal:
        return self.percent

    def illustrative(self, on: date) -> bool:
        return False


class RenewalIndex:
    """CCNL TLC renewals: a ministerial table issued before the renewal in force on a rate's date
    may not yet reflect the new wages (the Ministry turns new wages into tables later)."""

    def __init__(self, renewals: Iterable[tuple[date, date, str]]):
        self._renewals = sorted((wages_from, signed_on, title) for signed_on, wages_from, title in renewals)
        self._dates = [r[0] for r in self._renewals]

    def lag(self, row: TableRow, on: date) -> str:
        """The title of the renewal in force on `on` that the table row predates, or ""."""
        position = bisect_right(self._dates, on)
        if not position:
            return ""
        _wages_from, signed_on, title = self._renewals[position - 1]
        table_date = row.issued_on or row.effective_from
        return title if table_date < signed_on else ""
