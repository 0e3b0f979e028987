from datetime import date
from decimal import Decimal

import pytest

from portal.tariffs.models import Decree, DecreeRow, UpliftComponent


@pytest.fixture
def tables(db):
    """D.D. 123/2017 level 3 (official), an illustrative level 4, and the uplift 5 + 4 + 6 %."""
    official = Decree(number="D.D. 123/2017", issued_on=date(2017, 12, 29), title="Costo del lavoro", official=True,
                      rows=[DecreeRow(level="3", effective_from=date(2018, 1, 1), euro_minute=Decimal("0.4282"))])
    illustrative = Decree(number="Tabella dimostrativa", issued_on=date(2026, 1, 1), official=False,
                          rows=[DecreeRow(level="4", effective_from=date(2018, 1, 1), euro_minute=Decimal("0.4500"))])
    db.session.add_all([official, illustrative])
    for component, percent in (("formazione", 5), ("innovazione", 4), ("organizzazione", 6)):
        db.session.add(UpliftComponent(component=component, percent=Decimal(percent), effective_from=date(2018, 1, 1)))
    db.session.commit()
    return official, illustrative
