"""What other modules may ask of the tariffs: shares of checked rates under the thresholds.

For staff, the ministry brief and the Bollino Blu auditors (the linked check "tariffs"): plain
dicts of ints and strings. Only checks with a verdict count (rows in error are not rates that
were checked).
"""

from collections import defaultdict
from contextlib import nullcontext
from datetime import date
from zoneinfo import ZoneInfo

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.linked_checks import linked_check
from portal.tariffs.models import SECTORS, RateCheck
from portal.tariffs.rates import LEVELS, Verdict

VERDICTS = tuple(v.value for v in Verdict)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _empty() -> dict:
    return {"total": 0} | {v: 0 for v in VERDICTS}


def _add(bucket: dict, esito: str, count: int) -> None:
    bucket["total"] += count
    bucket[esito] += count


def _grouped(conditions: list) -> list:
    """(rate date, level, sector, verdict, count) of the checks matching the conditions."""
    query = (
        select(RateCheck.rate_date, RateCheck.level, RateCheck.client_sector, RateCheck.esito, func.count())
        .where(RateCheck.esito.in_(VERDICTS), *conditions)
        .group_by(RateCheck.rate_date, RateCheck.level, RateCheck.client_sector, RateCheck.esito)
    )
    return list(db.session.execute(query))


def _sources(conditions: list) -> tuple[str, bool]:
    decrees = db.session.execute(
        select(RateCheck.decree, RateCheck.official).where(RateCheck.esito.in_(VERDICTS), *conditions).distinct()
    ).all()
    official = sorted({d for d, o in decrees if o})
    illustrative = sorted({d for d, o in decrees if not o})
    parts = []
    if official:
        parts.append(_("tabelle ministeriali %(decrees)s", decrees=", ".join(official)))
    if illustrative:
        parts.append(_("valori dimostrativi (non ufficiali): %(decrees)s", decrees=", ".join(illustrative)))
    if not parts:
        return _("Verifiche delle tariffe salvate sul portale Assocontact, maggiorazione dell'associazione "
                 "in vigore alla data di ciascuna tariffa."), False
    return _("Verifiche delle tariffe salvate sul portale Assocontact confrontate con %(sources)s, maggiorazione "
             "dell'associazione in vigore alla data di ciascuna tariffa.", sources="; ".join(parts)), bool(illustrative)


def _sector_label(key: str) -> str:
    """In the user's language during a request; in Italian from the command line or a thread."""
    with nullcontext() if has_request_context() else force_locale("it"):
        return str(SECTORS[key])


def _summary(conditions: list) -> dict:
    total = _empty()
    by_level: dict[str, dict] = {level: _empty() for level in LEVELS}
    by_sector: dict[str, dict] = {sector: _empty() for sector in SECTORS}
    by_quarter: dict[str, dict] = defaultdict(_empty)
    for rate_date, level, sector, esito, count in _grouped(conditions):
        _add(total, esito, count)
        _add(by_level.setdefault(level, _empty()), esito, count)
        _add(by_sector[sector if sector in SECTORS else "altro"], esito, count)
        _add(by_quarter[quarter_of(rate_date)], esito, count)
    source, illustrative = _sources(conditions)
    return total | {
        "by_level": [{"key": k} | v for k, v in by_level.items()],
        "by_sector": [{"key": k, "label": _sector_label(k)} | v for k, v in by_sector.items()],
        "by_quarter": [{"key": k} | by_quarter[k] for k in sorted(by_quarter)],
        "uses_illustrative_tables": illustrative,
        "source": source,
    }


def rate_shares(date_from: date | None = None, date_to: date | None = None) -> dict:
    """Counts per verdict over the saved checks whose rate date is in the range (ends included)."""
    conditions = []
    if date_from is not None:
        conditions.append(RateCheck.rate_date >= date_from)
    if date_to is not None:
        conditions.append(RateCheck.rate_date <= date_to)
    return _summary(conditions)


@linked_check("tariffs")
def company_rate_summary(company_id: int) -> dict:
    """The same counts for one company's saved checks, and the day of its latest check."""
    summary = _summary([RateCheck.company_id == company_id])
    last = db.session.scalar(select(func.max(RateCheck.created_at)).where(RateCheck.company_id == company_id))
    return summary | {"last_check": last.astimezone(ZoneInfo("Europe/Rome")).date() if last else None}


def share_pct(part: int, total: int) -> float | None:
    """A share in percent for display (None when there is nothing to divide)."""
    return round(part * 100 / total, 1) if total else None
