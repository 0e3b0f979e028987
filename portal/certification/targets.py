"""A figure's target as staff set it, with exactly its own decimals, wherever it appears.

Targets are set, not computed, so they are never rounded: stored as Numeric(12, 4), 60 reads
"60" and 2,25 reads "2,25" on the scheme's page and PDF, in the table of changes, on the
consultation's pages and in its CSV/XLSX alike.
"""

from decimal import Decimal

from portal.formatting import number


def exact(value: Decimal | None) -> Decimal | None:
    """The value without trailing zeros (60.0000 -> 60, 2.2500 -> 2.25)."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def text(value: Decimal | None) -> str:
    """The value in the reader's language (decimal comma in Italian), all its decimals and no more."""
    value = exact(value)
    if value is None:
        return "—"
    return number(value, -value.as_tuple().exponent)
