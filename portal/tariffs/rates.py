"""The rate check as plain functions: units to euro per minute, the two thresholds, the verdict.

Rules from the domain file (tabelle-ministeriali.md): every rate is converted to euro per minute
and compared with the labour cost of the table row in force on the rate's date and with the
sustainable minimum (labour cost x (1 + uplift)). A rate exactly at a threshold is at it, not
below it. Money is Decimal throughout; rounding happens only when a value is shown.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from flask_babel import gettext as _

LEVELS = ("1", "2", "3", "4", "5", "5S", "6", "7")
LEVEL_LABELS = {level: level for level in LEVELS} | {"5S": "5S (5 super)", "7": "7 (Quadri)"}

DEFAULT_PRODUCTIVE_HOURS = Decimal("1396")  # hours of phone work a year (D.D. 77/2018, levels 2 to 5S)
HUNDRED = Decimal(100)
SIXTY = Decimal(60)
FOUR_PLACES = Decimal("0.0001")
ONE_PLACE = Decimal("0.1")


class Unit(StrEnum):
    MINUTO = "minuto"
    ORA = "ora"
    CONTATTO = "contatto"
    FTE_MESE = "fte_mese"


class Verdict(StrEnum):
    SOTTO_COSTO_LAVORO = "sotto_costo_lavoro"
    SOTTO_MINIMO_SOSTENIBILE = "sotto_minimo_sostenibile"
    CONFORME = "conforme"


class RateError(ValueError):
    """A rate that cannot be checked; the message is Italian and shown as is."""


def normalise_level(text: str) -> str | None:
    """`' 5s '` -> `'5S'`; None for a level CCNL TLC does not have."""
    level = text.strip().upper()
    if level in ("Q", "QUADRI", "7Q"):
        level = "7"
    return level if level in LEVELS else None


def monthly_productive_minutes(productive_hours: Decimal = DEFAULT_PRODUCTIVE_HOURS) -> Decimal:
    """Productive hours a year / 12 months x 60 minutes."""
    return productive_hours * 5


def per_minute(
    rate: Decimal,
    unit: Unit | str,
    aht_seconds: Decimal | int | None = None,
    productive_hours: Decimal | None = None,
) -> Decimal:
    """The rate in euro per minute of work."""
    if rate < 0:
        raise RateError(_("La tariffa non può essere negativa."))
    if not isinstance(unit, Unit):
        unit = Unit(unit)
    if unit is Unit.MINUTO:
        return rate
    if unit is Unit.ORA:
        return rate / SIXTY
    if unit is Unit.CONTATTO:
        if aht_seconds is None:
            raise RateError(_("Per la tariffa a contatto serve il tempo medio di gestione (AHT) in secondi."))
        if aht_seconds <= 0:
            raise RateError(_("Il tempo medio di gestione (AHT) deve essere maggiore di zero."))
        return rate * SIXTY / Decimal(aht_seconds)
    hours = DEFAULT_PRODUCTIVE_HOURS if productive_hours is None else productive_hours
    if hours <= 0:
        raise RateError(_("Le ore produttive annue devono essere maggiori di zero."))
    return rate / monthly_productive_minutes(hours)


def sustainable_minimum(labour_cost: Decimal, uplift_pct: Decimal) -> Decimal:
    return labour_cost * (1 + uplift_pct / HUNDRED)


def verdict(rate_per_minute: Decimal, labour_cost: Decimal, sustainable_min: Decimal) -> Verdict:
    if rate_per_minute < labour_cost:
        return Verdict.SOTTO_COSTO_LAVORO
    if rate_per_minute < sustainable_min:
        return Verdict.SOTTO_MINIMO_SOSTENIBILE
    return Verdict.CONFORME


def margin_pct(rate_per_minute: Decimal, threshold: Decimal) -> Decimal:
    """(rate - threshold) / threshold x 100, unrounded."""
    return (rate_per_minute - threshold) / threshold * HUNDRED


@dataclass(frozen=True)
class TableRow:
    """The row of a ministerial table used by a check, with where it comes from."""

    level: str
    effective_from: date
    euro_minute: Decimal
    decree: str
    official: bool = True


@dataclass(frozen=True)
class Outcome:
    rate_per_minute: Decimal
    labour_cost: Decimal
    sustainable_min: Decimal
    uplift_pct: Decimal
    verdict: Verdict
    margin_labour: Decimal
    margin_sustainable: Decimal
    row: TableRow


def assess(rate_per_minute: Decimal, row: TableRow, uplift_pct: Decimal) -> Outcome:
    """Both thresholds, the verdict and the two margins of a rate already in euro per minute."""
    labour = row.euro_minute
    sustainable = sustainable_minimum(labour, uplift_pct)
    return Outcome(
        rate_per_minute=rate_per_minute,
        labour_cost=labour,
        sustainable_min=sustainable,
        uplift_pct=uplift_pct,
        verdict=verdict(rate_per_minute, labour, sustainable),
        margin_labour=margin_pct(rate_per_minute, labour),
        margin_sustainable=margin_pct(rate_per_minute, sustainable),
        row=row,
    )


def four_places(value: Decimal) -> Decimal:
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def one_place(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def italian_decimal(value: Decimal) -> str:
    """`0.4282` -> `0,4282` (the files' decimal comma, no thousands mark, never an exponent)."""
    return format(value, "f").replace(".", ",")
