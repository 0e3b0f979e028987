"""Italian (and English) formats for money, numbers and dates, as Jinja filters.

One rounding rule for the whole portal: a value is computed once, exactly, and rounded once,
when it is shown, **half up** (0,45 -> 0,5; -0,45 -> -0,5: halves away from zero, as Italian
offices and Excel round). Babel alone would round half to even (12,45 % -> 12,4 %), so every
filter quantizes with `rounded()` first and hands Babel a value it has nothing left to round.
Files (CSV, XLSX, the command line) use `rounded()` too, so a page and a download never differ.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale


def rounded(value: Decimal | float | int, digits: int) -> Decimal:
    """`value` rounded half up to `digits` decimals, exactly once (a float as it prints: 12.45 is 12,5).

    Never a negative zero: -0,04 rounded to one decimal is 0,0, not -0,0.
    """
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    result = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(result) if result == 0 else result


def euro(value: Decimal | float | int | None, digits: int = 2) -> str:
    """`1.234,56 €` in Italian; digits=4 for the euro-per-minute values of the tables."""
    if value is None:
        return "—"
    value = rounded(value, digits)
    pattern = "#,##0." + "0" * digits + "\u00a0¤" if str(get_locale()) == "it" else None
    if pattern:
        return format_currency(value, "EUR", format=pattern, currency_digits=False)
    return format_currency(value, "EUR", format="¤#,##0." + "0" * digits, currency_digits=False)


def number(value: Decimal | float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(rounded(value, digits), format=pattern)


def percent(value: Decimal | float | int | None, digits: int = 1) -> str:
    """A value already in percent (12.5 means 12,5 %)."""
    if value is None:
        return "—"
    return number(value, digits) + "\u00a0%"


def short_date(value: date | datetime | None) -> str:
    """`23/11/2026`."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return format_date(value, "dd/MM/yyyy")


def date_time(value: datetime | None) -> str:
    """`23/11/2026 14:05` in the portal's time zone."""
    if value is None:
        return "—"
    return format_datetime(value, "dd/MM/yyyy HH:mm")


FILTERS = {
    "euro": euro,
    "number": number,
    "percent": percent,
    "short_date": short_date,
    "date_time": date_time,
}
