from decimal import Decimal

from flask import Blueprint

from portal.formatting import euro

bp = Blueprint("tariffs", __name__, url_prefix="/tariffe")


@bp.app_template_filter("tariff_amount")
def tariff_amount(value: Decimal | None) -> str:
    """A contract rate as typed: 2 decimals when it has no more (27,50 €), else all of its own (0,40178385 €)."""
    if value is None:
        return euro(None)
    return euro(value, max(2, -value.normalize().as_tuple().exponent))
