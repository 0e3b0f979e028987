"""Provenance: an official table needs its source, illustrative values say so everywhere, a table
older than the CCNL renewal says it may lag, and the annex's own wide layout can be imported."""

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.access import Role
from portal.tariffs import services
from portal.tariffs.demo import seed_decrees
from portal.tariffs.models import CcnlRenewal, Decree, PendingImport
from portal.tariffs.table_file import parse_table_file
from tests.members.pages import text as page_text
from tests.sessions import sign_in
from tests.tariffs.files import csv_bytes, xlsx_bytes

TABLE = csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,3503")


@pytest.fixture
def staff(client, make_user):
    user = make_user(Role.STAFF)
    sign_in(client, user)
    return user


def post_table(client, **fields):
    return client.post("/tariffe/tabelle/importa", content_type="multipart/form-data",
                       data={"number": "D.D. 53/2021", **fields, "file": (io.BytesIO(TABLE), "t.csv")})


def test_the_web_import_asks_an_official_table_for_its_date_and_source(client, db, staff):
    response = post_table(client)
    page = page_text(response)
    assert response.status_code == 422
    assert "Indica la data del decreto, oppure segna la tabella come dimostrativa" in page
    assert "Indica la fonte (Gazzetta Ufficiale o pagina del Ministero)" in page
    assert db.session.scalar(select(PendingImport)) is None
    assert post_table(client, dimostrativa="y").status_code == 302  # an illustrative table needs neither
    assert post_table(client, issued_on="2021-08-12", source_url="https://www.lavoro.gov.it/decreto").status_code == 302


def test_the_illustrative_table_never_sorts_as_the_latest_decree(client, db, staff):
    seed_decrees()
    db.session.commit()
    page = page_text(client.get("/tariffe/tabelle"))
    rows = page.split("<tbody>")[1]
    assert rows.index("D.D. 53/2021") < rows.index("D.D. 77/2018") < rows.index("D.D. 123/2017") < rows.index("Tabella dimostrativa")
    compare = page_text(client.get("/tariffe/tabelle/confronto"))
    selected = [part.split(">")[1].split("<")[0] for part in compare.split("selected")[1:3]]
    assert "Tabella dimostrativa" not in " ".join(selected)


def test_the_annex_layout_levels_across_and_dates_down_or_the_reverse():
    across = csv_bytes("Allegato 1 - costo medio orario;;;", "Decorrenza;Liv. 1;Liv. 3;5S", "01/04/2021;0,3503;0,4100;0,5292",
                       "01/12/2021;0,3522;0,4120;0,5346")
    rows, errors = parse_table_file(across)
    assert not errors
    assert [(r.line, r.level, r.effective_from, r.euro_minute) for r in rows][:3] == [
        (3, "1", date(2021, 4, 1), Decimal("0.3503")), (3, "3", date(2021, 4, 1), Decimal("0.4100")),
        (3, "5S", date(2021, 4, 1), Decimal("0.5292"))]
    down = xlsx_bytes(["Livello", "01/04/2021", "01/12/2021"], ["1", "0,3503", "0,3522"], ["5S", 0.5292, "x"])
    rows, errors = parse_table_file(down)
    assert [(r.level, r.effective_from) for r in rows] == [("1", date(2021, 4, 1)), ("1", date(2021, 12, 1))]
    assert [e.line for e in errors] == [3] and errors[0].message.startswith("Livello 5S, 01/12/2021: «x» non è un numero")


def test_a_table_older_than_the_ccnl_renewal_says_it_may_lag(client, db, tables):
    db.session.add(CcnlRenewal(signed_on=date(2025, 11, 11), wages_from=date(2026, 1, 1), title="rinnovo del CCNL TLC dell'11/11/2025"))
    db.session.commit()
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=0,60&unita=minuto&data=2026-03-01"))
    assert "La tabella è anteriore al rinnovo del CCNL TLC dell'11/11/2025" in page
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=0,60&unita=minuto&data=2025-12-01"))
    assert "anteriore al rinnovo" not in page


def test_illustrative_uplift_and_warnings_are_shown_on_the_calculator(client, db, tables, make_user):
    services.set_uplift("formazione", Decimal(5), date(2018, 1, 1), "", make_user(Role.STAFF), illustrative=True)
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=25,69&unita=minuto&data=2019-01-01"))
    assert "maggiorazione dimostrativa" in page
    assert "sembra una tariffa oraria" in page  # 25,69 € a minute is an hourly amount
    page = page_text(client.get("/tariffe/verifica?livello=3&tariffa=0,40&unita=minuto&data=2019-01-01"))
    assert "da verificare" in page and "art. 110" in page and "organizzazione aziendale più efficiente" in page
    assert "illegal" not in page.lower() and "illecit" not in page.lower()


def test_the_decree_used_is_listed_with_its_source_on_the_bulk_page(client, db, tables, make_company, make_user):
    tables[0].source = "Nota unitaria dei sindacati"
    db.session.commit()
    sign_in(client, make_user(Role.APPLICANT, company=make_company()))
    location = client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data", data={
        "file": (io.BytesIO(csv_bytes("livello;tariffa;unita;data", "3;0,40;minuto;01/01/2019", "4;0,60;minuto;01/01/2019")),
                 "l.csv")}).headers["Location"]
    page = page_text(client.get(location))
    assert "D.D. 123/2017" in page and "Nota unitaria dei sindacati" in page and "dimostrativa, non ufficiale" in page
    assert "Cosa significa" in page  # the law, because a rate is under the labour cost
    assert db.session.scalar(select(Decree.number).where(Decree.official.is_(False))) == "Tabella dimostrativa"
