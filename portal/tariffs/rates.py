"""The rate check as plain functions: units to euro per minute, the two thresholds, the verdict.

Rules from the domain file (tabelle-ministeriali.md): every rate is converted to euro per minute
and compared with the labour cost of the table row in force on the rate's date and with the
sustainable minimum (labour cost x (1 + uplift)). A rate exactly at a threshold is at it, not
below it. Money is Decimal throughout; rounding happens only when a value is shown.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flask_babel import gettext as _

from portal.formatting import rounded

LEVELS = ("1", "2", "3", "4", "5", "5S", "6", "7")
LEVEL_LABELS = {level: level for level in LEVELS} | {"5S": "5S (5 super)", "7": "7 (Quadri)"}

DEFAULT_PRODUCTIVE_HOURS = Decimal("1396")  # hours of phone work a year (D.D. 77/2018, levels 2 to 5S)
HUNDRED = Decimal(100)
SIXTY = Decimal(60)
# What the portal shows: euro per minute with 4 decimals (as the decrees), percentages with 1.
PER_MINUTE_DIGITS = 4
PERCENT_DIGITS = 1
# A rate per minute outside this band is unusual enough to warn about (not an error): labour
# costs run from about 0,33 to 0,60 EUR a minute, contract rates rarely below half or above five times that.
PLAUSIBLE_PER_MINUTE = (Decimal("0.10"), Decimal("3"))


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
    issued_on: date | None = None  # the decree's date: a table older than a CCNL renewal may lag its wages


@dataclass(frozen=True)
class Shown:
    """An outcome's figures as every output shows them: computed exactly, rounded once, half up."""

    rate_per_minute: Decimal
    labour_cost: Decimal
    sustainable_min: Decimal
    margin_labour: Decimal
    margin_sustainable: Decimal


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

    @property
    def shown(self) -> Shown:
        return shown(self.rate_per_minute, self.labour_cost, self.sustainable_min)


def shown(rate_per_minute: Decimal, labour_cost: Decimal, sustainable_min: Decimal) -> Shown:
    """The figures of a check as shown: each computed from the exact values, then rounded once."""
    return Shown(
        rounded(rate_per_minute, PER_MINUTE_DIGITS),
        rounded(labour_cost, PER_MINUTE_DIGITS),
        rounded(sustainable_min, PER_MINUTE_DIGITS),
        rounded(margin_pct(rate_per_minute, labour_cost), PERCENT_DIGITS),
        rounded(margin_pct(rate_per_minute, sustainable_min), PERCENT_DIGITS),
    )


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


UNIT_WORDS = {Unit.MINUTO: "al minuto", Unit.ORA: "oraria", Unit.CONTATTO: "a contatto", Unit.FTE_MESE: "FTE mensile"}


def plausibility_warning(rate: Decimal, unit: Unit, rate_per_minute: Decimal, aht_seconds: Decimal | None = None) -> str:
    """A warning (not an error) when the amount looks like another unit's, naming the likely one; "" if none."""
    if rate == 0:
        return _("tariffa pari a zero: controlla l'importo")
    low, high = PLAUSIBLE_PER_MINUTE
    if low <= rate_per_minute <= high:
        return ""
    if unit is Unit.CONTATTO and aht_seconds is not None and low <= rate_per_minute / 60 <= high:
        return _("AHT di %(aht)s secondi: sembra espresso in minuti (%(aht)s minuti = %(seconds)s secondi)",
                 aht=italian_decimal(aht_seconds), seconds=italian_decimal(aht_seconds * 60))
    for other in (Unit.MINUTO, Unit.ORA, Unit.FTE_MESE):
        if other is not unit and low <= per_minute(rate, other) <= high:
            return _("importo insolito per una tariffa %(unit)s (%(per_minute)s €/min): sembra una tariffa %(likely)s",
                     unit=UNIT_WORDS[unit], per_minute=italian_decimal(rounded(rate_per_minute, PER_MINUTE_DIGITS)),
                     likely=UNIT_WORDS[other])
    return _("importo insolito per una tariffa %(unit)s (%(per_minute)s €/min)", unit=UNIT_WORDS[unit],
             per_minute=italian_decimal(rounded(rate_per_minute, PER_MINUTE_DIGITS)))


def italian_decimal(value: Decimal) -> str:
    """`0.4282` -> `0,4282` (the files' decimal comma, no thousands mark, never an exponent)."""
    return format(value, "f").replace(".", ",")
