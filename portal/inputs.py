"""What a URL and a form may carry, bounded once for every route.

Out-of-range input used to reach the database or the date arithmetic and end in a 500 (an id of
2**63, page 10**20, the day after 9999-12-31). Here, once:
- `<int:...>` in every route is a `BoundedIntegerConverter`: more than a database integer holds
  does not match the route (404), like a negative or a malformed number already did;
- `arg_int()`, `arg_page()` and `arg_date()` read a query parameter the one way: a malformed or
  out-of-range value is treated as absent (a page number: 404), never passed on;
- `db.paginate()` reads the page number with `arg_page()` and never lets the URL choose the page
  size (portal/extensions.py);
- `DateField` and `DateTimeLocalField` (use these, not WTForms' own) refuse a date outside
  FIRST_DAY..LAST_DAY with a message beside the field.
tests/security/test_bad_input.py tries huge, negative and malformed values on every route.
"""

from datetime import date, datetime

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, UnicodeConverter
from wtforms import fields
from wtforms.validators import ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL's `integer`; SQLite's is larger
MAX_PAGE = 100_000
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
DATE_RANGE_MESSAGE = _l("Indica una data tra il 1900 e il 2199.")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>`: 0 to MAX_ID; a larger number does not match, so the route answers 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class PrintableConverter(UnicodeConverter):
    """A text part of a path: a control character (a NUL, which PostgreSQL refuses in text) names nothing: 404."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f]", 1)


def register(app) -> None:
    """The URL converters and the query-string guard. Before the blueprints: their rules are compiled
    with the converters registered then."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = PrintableConverter
    app.before_request(_refuse_nul_in_query)


def _refuse_nul_in_query() -> None:
    """A NUL in the query string is never a real value (and PostgreSQL refuses it in text): 400."""
    if any("\x00" in value for values in request.args.listvalues() for value in values):
        abort(400)


def arg_int(name: str, default: int | None = None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number from the query string, or `default` when absent, malformed or out of range."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()):
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def arg_page(name: str = "page") -> int:
    """A page number: 1 when absent; a malformed or impossible one is a page that does not exist (404)."""
    if name not in request.args:
        return 1
    page = arg_int(name, minimum=1, maximum=MAX_PAGE)
    if page is None:
        abort(404)
    return page


def arg_date(name: str) -> date | None:
    """A date (YYYY-MM-DD) from the query string within FIRST_DAY..LAST_DAY, else None."""
    try:
        value = datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None
    return value if FIRST_DAY <= value <= LAST_DAY else None


def _within_range(form, field) -> None:
    value = field.data.date() if isinstance(field.data, datetime) else field.data
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(DATE_RANGE_MESSAGE)


class DateField(fields.DateField):
    """WTForms' DateField, refusing dates outside FIRST_DAY..LAST_DAY."""

    def __init__(self, *args, validators=None, **kwargs):
        super().__init__(*args, validators=[*(validators or []), _within_range], **kwargs)


class DateTimeLocalField(fields.DateTimeLocalField):
    """WTForms' DateTimeLocalField, refusing moments outside FIRST_DAY..LAST_DAY."""

    def __init__(self, *args, validators=None, **kwargs):
        super().__init__(*args, validators=[*(validators or []), _within_range], **kwargs)
