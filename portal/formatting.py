"""Italian (and English) formats for money, numbers and dates, as Jinja filters."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale


def euro(value: Decimal | float | int | None, digits: int = 2) -> str:
    """`1.234,56 €` in Italian; digits=4 for the euro-per-minute values of the tables."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "\u00a0¤" if str(get_locale()) == "it" else None
    if pattern:
        return format_currency(value, "EUR", format=pattern, currency_digits=False)
    return format_currency(value, "EUR", format="¤#,##0." + "0" * digits, currency_digits=False)


def number(value: Decimal | float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


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
