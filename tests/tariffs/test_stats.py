"""Statistics a ministry brief can quote: per row, per list and per company, hand-computed.

Company A checks one long list (100 rates, 90 under the labour cost); company B three short
lists of two rates (0, 1 and 0 under), and uploads its first list a second time; company C saves
two single checks (one under, one compliant on an illustrative table). Per row the long list
dominates (92 of 108 = 85,2 %); per list each list counts once (0,9 + 0 + 0,5 + 0 + 1 + 0 over 6
= 40,0 %); per company each company counts once ((0,9 + 1/6 + 0,5) / 3 = 52,2 %).
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.tariffs import services
from portal.tariffs.models import ListStat
from portal.tariffs.rates import Unit
from portal.tariffs.stats import rate_statistics
from tests.sessions import sign_in
from tests.tariffs.files import RATES_HEADER, csv_bytes

UNDER, OK = "0,40", "0,60"  # level 3 on 01/01/2019: labour cost 0,4282, sustainable minimum 0,4924


def price_list(*rates: str) -> bytes:
    return csv_bytes(RATES_HEADER, *(f"R{n};3;{rate};minuto;01/01/2019;" for n, rate in enumerate(rates, start=1)))


def upload(client, user, data: bytes) -> None:
    sign_in(client, user)
    response = client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "listino.csv"), "settore": "pa"})
    assert response.status_code == 302


@pytest.fixture
def checked(client, db, tables, make_company, make_user):
    a, b, c = (make_user(Role.APPLICANT, company=make_company(name)) for name in ("Alfa", "Beta", "Gamma"))
    upload(client, a, price_list(*[UNDER] * 90, *[OK] * 10))
    first = price_list(OK, OK)
    for data in (first, price_list(UNDER, OK), price_list(OK, "0,61"), first):  # the first list uploaded twice counts once
        upload(client, b, data)
    services.save_check(services.RateInput("3", Decimal("0.40"), Unit.MINUTO, date(2019, 1, 1)), "", "pa", c)
    services.save_check(services.RateInput("4", Decimal("0.60"), Unit.MINUTO, date(2019, 1, 1)), "", "pa", c)  # illustrative table
    return a, b, c


def test_one_long_list_against_many_short_ones(db, checked):
    total = rate_statistics().total
    assert (total.rows, total.lists, total.companies) == (108, 6, 3)
    assert total.counts == {"sotto_costo_lavoro": 92, "sotto_minimo_sostenibile": 0, "conforme": 16}
    under = total.shares["sotto_costo_lavoro"]
    assert round(under.per_row, 6) == round(Decimal(9200) / 108, 6)  # 85,185185 %
    assert under.per_list == Decimal(40)  # (0,9 + 0 + 0,5 + 0 + 1 + 0) / 6
    assert round(under.per_company, 6) == round((Decimal("0.9") + Decimal(1) / 6 + Decimal("0.5")) / 3 * 100, 6)  # 52,2 %
    assert round(total.illustrative_pct, 6) == round(Decimal(100) / 108, 6)
    assert (total.first_date, total.last_date) == (date(2019, 1, 1), date(2019, 1, 1))
    assert total.small_sample and total.disclosable  # 6 lists: small; 3 companies: may be shown
    assert db.session.scalar(select(func.count(func.distinct(ListStat.list_key)))) == 6


def test_per_company_figures_and_what_may_leave_the_association(db, checked):
    a, b, _c = checked
    beta = rate_statistics(company_id=b.company_id).total
    assert (beta.rows, beta.lists, beta.companies, beta.disclosable) == (6, 3, 1, False)
    assert round(beta.shares["sotto_costo_lavoro"].per_list, 6) == round(Decimal(100) / 6, 6)
    by_level = {f.key: f for f in rate_statistics().by_level}
    assert set(by_level) == {"3", "4"} and by_level["4"].illustrative_pct == 100 and not by_level["4"].disclosable
    statistics = rate_statistics()
    assert statistics.provenance.kind.value == "dimostrativo"  # part of it rests on an illustrative table
    assert "6 listini di 3 aziende, 108 tariffe" in statistics.provenance.source
    assert rate_statistics(date(2020, 1, 1)).total.rows == 0


def test_the_page_and_the_files_show_the_three_readings(client, db, checked, make_user):
    sign_in(client, make_user(Role.STAFF))
    page = client.get("/tariffe/statistiche").get_data(as_text=True)
    assert "85,2\u00a0%" in page and "40,0\u00a0%" in page and "52,2\u00a0%" in page
    assert "108 tariffe in 6 listini di 3 aziende" in page and "campione ridotto" in page
    data = client.get("/tariffe/statistiche/esporta.csv").data
    assert data.startswith("\ufeff".encode())
    rows = {(r[0], r[1]): r for r in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";") if len(r) > 2}
    header = rows[("dimensione", "voce")]
    total = dict(zip(header, rows[("totale", "Tutte le tariffe")], strict=True))
    assert (total["tariffe"], total["listini"], total["aziende"]) == ("108", "6", "3")
    assert (total["quota_sotto_costo_lavoro_per_tariffa_pct"], total["quota_sotto_costo_lavoro_per_listino_pct"],
            total["quota_sotto_costo_lavoro_per_azienda_pct"]) == ("85,2", "40,0", "52,2")
    level_4 = dict(zip(header, rows[("livello", "4")], strict=True))
    assert level_4["quota_sotto_costo_lavoro_per_tariffa_pct"] == "" and "meno di 3 aziende" in level_4["nota"]
    chart = client.get("/tariffe/statistiche/trimestre.svg").get_data(as_text=True)
    assert "</title></rect>" not in chart  # a quarter of 6 lists is a small sample: never drawn as a bar
