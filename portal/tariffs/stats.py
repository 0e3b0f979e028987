"""What other modules may ask of the tariffs: shares of checked rates under the thresholds, as the
ministry brief and the Bollino Blu auditors (the linked check "tariffs") quote them.

Counted from `ListStat`, the aggregates kept per list when the list is checked (never from the
millions of stored rows): a bulk batch is a list; a single saved check is a list of one row; an
upload of a file already uploaded replaces the earlier one (a file counts once). Only rows with
a verdict count (rows in error are not rates that were checked).

Each share is given three ways (`Share`):
- per row: rows under the threshold / rows checked;
- per list: the mean over the lists of each list's share (a list counts once however long);
- per company: the mean over the member companies of each company's share, itself the mean of
  its lists' shares (one company counts once however many lists it checks). Lists checked by the
  association's staff count per row and per list, not per company.
Every figure says how many rows, lists and companies it rests on, the period it covers, whether
the sample is small, and which part of it rests on illustrative tables; figures over fewer
than three companies are not `disclosable` outside the association (the charter's rule).
Shares are exact (Decimal, 40 significant digits), rounded only when shown.
"""

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal
from zoneinfo import ZoneInfo

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.linked_checks import linked_check
from portal.provenance import Kind, Provenance, weakest
from portal.tariffs.models import SECTORS, ListStat, RateBatch, RateCheck
from portal.tariffs.rates import LEVELS, Verdict
from portal.uploads import StoredFile

VERDICTS = tuple(v.value for v in Verdict)
COUNT_COLUMNS = {"sotto_costo_lavoro": "under_labour", "sotto_minimo_sostenibile": "under_sustainable", "conforme": "compliant"}
MIN_COMPANIES = 3  # no figure over fewer companies leaves the association (charter)
SMALL_SAMPLE_LISTS = 10  # fewer lists than this: the figure is flagged as resting on a small sample
_EXACT = Context(prec=40)
HUNDRED = Decimal(100)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


# --- keeping the aggregates (called by the services, in their transaction) ---------------------

def keep_check_stats(check: RateCheck) -> None:
    """A saved single check is a list of one row."""
    if check.esito not in VERDICTS:
        return
    db.session.flush()
    db.session.add(ListStat(
        list_key=-check.id, check_id=check.id, company_id=check.company_id, sector=check.client_sector, level=check.level,
        rate_date=check.rate_date, quarter=quarter_of(check.rate_date), decree=check.decree, official=bool(check.official),
        uplift_illustrative=bool(check.uplift_illustrative), **{COUNT_COLUMNS[check.esito]: 1},
    ))


def keep_batch_stats(batch: RateBatch) -> None:
    """The verdicts of a checked batch grouped by date, level and table; an earlier upload of the
    same file stops counting (its own rows and page stay)."""
    groups = db.session.execute(
        select(RateCheck.rate_date, RateCheck.level, RateCheck.decree, RateCheck.official, RateCheck.uplift_illustrative,
               RateCheck.esito, func.count())
        .where(RateCheck.batch_id == batch.id, RateCheck.esito.in_(VERDICTS))
        .group_by(RateCheck.rate_date, RateCheck.level, RateCheck.decree, RateCheck.official, RateCheck.uplift_illustrative,
                  RateCheck.esito)
    )
    rows: dict[tuple, dict] = {}
    for rate_date, level, decree, official, uplift_illustrative, esito, count in groups:
        key = (rate_date, level, decree, bool(official), bool(uplift_illustrative))
        rows.setdefault(key, dict.fromkeys(COUNT_COLUMNS.values(), 0))[COUNT_COLUMNS[esito]] += count
    if batch.stored_file is not None:
        earlier = select(RateBatch.id).join(StoredFile, RateBatch.stored_file_id == StoredFile.id).where(
            StoredFile.sha256 == batch.stored_file.sha256, RateBatch.id != batch.id)
        db.session.execute(delete(ListStat).where(ListStat.batch_id.in_(earlier)))
    if rows:
        db.session.execute(ListStat.__table__.insert(), [
            {"list_key": batch.id, "batch_id": batch.id, "check_id": None, "company_id": batch.company_id,
             "sector": batch.client_sector, "rate_date": rate_date, "level": level, "quarter": quarter_of(rate_date),
             "decree": decree, "official": official, "uplift_illustrative": uplift_illustrative} | counts
            for (rate_date, level, decree, official, uplift_illustrative), counts in rows.items()
        ])


# --- reading them ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """One verdict's share in percent, three ways (None when there is nothing to divide)."""

    per_row: Decimal | None
    per_list: Decimal | None
    per_company: Decimal | None


@dataclass(frozen=True)
class Figure:
    """The verdicts of one cell of the statistics (all rates, one level, one sector, one quarter)."""

    key: str
    label: str
    rows: int
    lists: int
    companies: int
    counts: dict[str, int]  # rows per verdict
    shares: dict[str, Share]  # per verdict
    illustrative_pct: Decimal | None  # share of the rows checked against illustrative tables
    first_date: date | None
    last_date: date | None

    @property
    def small_sample(self) -> bool:
        return self.lists < SMALL_SAMPLE_LISTS or self.companies < MIN_COMPANIES

    @property
    def disclosable(self) -> bool:
        """May leave the association (a public page, a brief, an export): three companies at least."""
        return self.companies >= MIN_COMPANIES


@dataclass(frozen=True)
class RateStatistics:
    date_from: date | None  # the period asked for (ends included; None: open)
    date_to: date | None
    total: Figure
    by_level: list[Figure]
    by_sector: list[Figure]
    by_quarter: list[Figure]
    decrees: dict[str, bool] = field(default_factory=dict)  # decree -> official
    uplift_illustrative: bool = False
    provenance: Provenance | None = None

    @property
    def dimensions(self) -> dict[str, list[Figure]]:
        return {"livello": self.by_level, "settore": self.by_sector, "trimestre": self.by_quarter}


class _Cell:
    """Running sums of one figure while the grouped rows go by."""

    __slots__ = ("lists", "first", "last")

    def __init__(self):
        self.lists: dict[int, list] = {}  # list key -> [company, under_labour, under_sustainable, compliant, illustrative]
        self.first = self.last = None

    def add(self, list_key: int, company_id, counts: tuple[int, int, int], official: bool, first: date, last: date) -> None:
        entry = self.lists.get(list_key)
        if entry is None:
            entry = self.lists[list_key] = [company_id, 0, 0, 0, 0]
        entry[1] += counts[0]
        entry[2] += counts[1]
        entry[3] += counts[2]
        if not official:
            entry[4] += counts[0] + counts[1] + counts[2]
        self.first = first if self.first is None or first < self.first else self.first
        self.last = last if self.last is None or last > self.last else self.last

    def figure(self, key: str, label: str) -> Figure:
        counts = [0, 0, 0]
        illustrative = 0
        list_shares: list[list[Decimal]] = []
        by_company: dict[int, list[list[Decimal]]] = defaultdict(list)
        for company_id, a, b, c, ill in self.lists.values():
            n = a + b + c
            counts[0] += a
            counts[1] += b
            counts[2] += c
            illustrative += ill
            shares = [_EXACT.divide(x, n) for x in (a, b, c)]
            list_shares.append(shares)
            if company_id is not None:
                by_company[company_id].append(shares)
        rows = sum(counts)
        per_list = _means(list_shares)
        per_company = _means([_means(lists) for lists in by_company.values()])
        return Figure(
            key=key, label=label, rows=rows, lists=len(self.lists), companies=len(by_company),
            counts=dict(zip(VERDICTS, counts, strict=True)),
            shares={v: Share(_pct(counts[i], rows), _times_100(per_list, i), _times_100(per_company, i)) for i, v in enumerate(VERDICTS)},
            illustrative_pct=_pct(illustrative, rows), first_date=self.first, last_date=self.last,
        )


def _means(vectors: list[list[Decimal]]) -> list[Decimal] | None:
    if not vectors:
        return None
    return [_EXACT.divide(sum((v[i] for v in vectors), Decimal(0)), len(vectors)) for i in range(3)]


def _times_100(vector: list[Decimal] | None, index: int) -> Decimal | None:
    return None if vector is None else _EXACT.multiply(vector[index], HUNDRED)


def _pct(part: int, total: int) -> Decimal | None:
    return _EXACT.divide(Decimal(part) * HUNDRED, total) if total else None


def _label(key: str) -> str:
    """A sector's name in the user's language during a request; in Italian from the command line or a job."""
    with nullcontext() if has_request_context() else force_locale("it"):
        return str(SECTORS[key])


def rate_statistics(date_from: date | None = None, date_to: date | None = None, company_id: int | None = None) -> RateStatistics:
    """The statistics of the rates whose date is in the period (ends included), of every member
    or of one company. One grouped query over the per-list aggregates, then exact sums here."""
    conditions = []
    if date_from is not None:
        conditions.append(ListStat.rate_date >= date_from)
    if date_to is not None:
        conditions.append(ListStat.rate_date <= date_to)
    if company_id is not None:
        conditions.append(ListStat.company_id == company_id)
    query = (
        select(ListStat.list_key, ListStat.company_id, ListStat.sector, ListStat.level, ListStat.quarter, ListStat.decree,
               ListStat.official, ListStat.uplift_illustrative, func.min(ListStat.rate_date), func.max(ListStat.rate_date),
               func.sum(ListStat.under_labour), func.sum(ListStat.under_sustainable), func.sum(ListStat.compliant))
        .where(*conditions)
        .group_by(ListStat.list_key, ListStat.company_id, ListStat.sector, ListStat.level, ListStat.quarter, ListStat.decree,
                  ListStat.official, ListStat.uplift_illustrative)
    )
    total, levels, sectors, quarters = _Cell(), defaultdict(_Cell), defaultdict(_Cell), defaultdict(_Cell)
    decrees: dict[str, bool] = {}
    uplift_illustrative = False
    for list_key, company, sector, level, quarter, decree, official, uplift_ill, first, last, a, b, c in db.session.execute(query):
        counts = (int(a), int(b), int(c))
        for cell in (total, levels[level], sectors[sector if sector in SECTORS else "altro"], quarters[quarter]):
            cell.add(list_key, company, counts, official, first, last)
        decrees[decree] = official
        uplift_illustrative = uplift_illustrative or uplift_ill
    everything = total.figure("tutte", _("Tutte le tariffe"))
    statistics = RateStatistics(
        date_from=date_from, date_to=date_to, total=everything,
        by_level=[levels[k].figure(k, k) for k in LEVELS if k in levels],
        by_sector=[sectors[k].figure(k, _label(k)) for k in SECTORS if k in sectors],
        by_quarter=[quarters[k].figure(k, k) for k in sorted(quarters)],
        decrees=dict(sorted(decrees.items())), uplift_illustrative=uplift_illustrative,
    )
    return RateStatistics(**(statistics.__dict__ | {"provenance": _provenance(statistics)}))


def _provenance(statistics: RateStatistics) -> Provenance:
    """Declared by the companies (their rates), checked against tables of the kinds used."""
    figure = statistics.total
    official = [d for d, o in statistics.decrees.items() if o]
    illustrative = [d for d, o in statistics.decrees.items() if not o]
    parts = [_("%(lists)s listini di %(companies)s aziende, %(rows)s tariffe", lists=figure.lists, companies=figure.companies,
               rows=figure.rows)]
    if official:
        parts.append(_("tabelle ministeriali %(decrees)s", decrees=", ".join(official)))
    if illustrative:
        parts.append(_("valori dimostrativi (non ufficiali): %(decrees)s", decrees=", ".join(illustrative)))
    parts.append(_("maggiorazione dell'associazione in vigore alla data di ciascuna tariffa%(ill)s",
                   ill=_(" (valore dimostrativo)") if statistics.uplift_illustrative else ""))
    kind = weakest(Kind.DECLARED, Kind.ILLUSTRATIVE if illustrative or statistics.uplift_illustrative else Kind.DECLARED)
    return Provenance(kind, _("Verifiche delle tariffe sul portale Assocontact: %(parts)s", parts="; ".join(parts)),
                      figure.last_date)


# --- the older, per-row face (the ministry brief and the auditors' page use it) -------------------

def _counts(figure: Figure) -> dict:
    return {"key": figure.key, "label": figure.label, "total": figure.rows} | figure.counts


def rate_shares(date_from: date | None = None, date_to: date | None = None) -> dict:
    """Counts per verdict (rows) over the rates dated in the range, as plain dicts."""
    statistics = rate_statistics(date_from, date_to)
    return _as_counts(statistics)


def _as_counts(statistics: RateStatistics) -> dict:
    return {"total": statistics.total.rows} | statistics.total.counts | {
        "by_level": [_counts(f) for f in statistics.by_level],
        "by_sector": [_counts(f) for f in statistics.by_sector],
        "by_quarter": [_counts(f) for f in statistics.by_quarter],
        "uses_illustrative_tables": any(not o for o in statistics.decrees.values()),
        "source": statistics.provenance.source,
    }


@linked_check("tariffs")
def company_rate_summary(company_id: int) -> dict:
    """The same counts for one company's checks, and the day of its latest check."""
    summary = _as_counts(rate_statistics(company_id=company_id))
    last = db.session.scalar(select(func.max(RateCheck.created_at)).where(RateCheck.company_id == company_id))
    return summary | {"last_check": last.astimezone(ZoneInfo("Europe/Rome")).date() if last else None}
