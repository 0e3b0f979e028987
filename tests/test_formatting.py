"""One rounding rule on every page: half up, once (Babel alone rounds half to even)."""

from decimal import Decimal as D

import pytest
from flask_babel import force_locale

from portal.formatting import euro, number, percent, rounded


@pytest.mark.parametrize("value, digits, expected", [
    (D("12.45"), 1, D("12.5")),  # half-even would give 12.4
    (D("12.35"), 1, D("12.4")),
    (D("0.52745"), 4, D("0.5275")),
    (D("0.527449999"), 4, D("0.5274")),  # rounded once from the exact value, never 0.52745 first
    (D("-12.45"), 1, D("-12.5")),  # halves away from zero
    (D("-0.04"), 1, D("0.0")),  # never a negative zero
    (12.45, 1, D("12.5")),  # a float as it prints
    (2.5, 0, D("3")),
    (7, 2, D("7.00")),
])
def test_rounded_is_half_up(value, digits, expected):
    result = rounded(value, digits)
    assert result == expected and str(result) == str(expected)


def test_filters_round_half_up_in_both_languages(app):
    with app.test_request_context():
        assert percent(D("12.45")) == "12,5\u00a0%"
        assert percent(D("-0.04")) == "0,0\u00a0%"
        assert number(D("2.5")) == "3" and number(D("1234.565"), 2) == "1.234,57"
        assert euro(D("0.52745"), 4) == "0,5275\u00a0€"
        assert euro(D("0.125")) == "0,13\u00a0€"
        with force_locale("en"):
            assert percent(D("12.45")) == "12.5\u00a0%" and euro(D("0.125")) == "€0.13"
