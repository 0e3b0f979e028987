"""Importing a table from the web: preview first, then all or nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.tariffs import services
from portal.tariffs.models import Decree, DecreeRow, PendingImport
from tests.members.pages import text as page_text
from tests.tariffs.files import csv_bytes, xlsx_bytes

GOOD = csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,3503", "5S;01/04/2021;0,5292", bom=True)
OFFICIAL_53 = services.DecreeInfo("D.D. 53/2021", date(2021, 8, 12), source="Stampa specializzata")
BAD = csv_bytes("livello;decorrenza;euro_minuto", "1;01/04/2021;0,3503", "9;01/04/2021;0,40", "2;31/02/2021;0,38")


@pytest.fixture
def staff(auth, make_user):
    user = make_user(Role.STAFF)
    auth.login(user.email)
    return user


def upload(client, data: bytes, name: str = "tabella.csv", **fields):
    form = {"number": "D.D. 53/2021", "issued_on": "2021-08-12", "title": "Call center", "source": "Stampa", **fields,
            "file": (io.BytesIO(data), name)}
    return client.post("/tariffe/tabelle/importa", data=form, content_type="multipart/form-data")


def rows_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(DecreeRow))


def test_preview_then_confirm(client, db, staff):
    response = upload(client, GOOD)
    assert response.status_code == 302
    preview = page_text(client.get(response.headers["Location"]))
    assert "2 righe lette: 2 nuove" in preview and "0,5292" in preview and "Conferma l'importazione" in preview
    assert rows_count(db) == 0  # nothing changes before the confirmation
    pending = db.session.scalar(select(PendingImport))
    assert pending.stored_file.original_name == "tabella.csv"
    response = client.post(f"/tariffe/tabelle/importazioni/{pending.id}/conferma")
    decree = db.session.scalar(select(Decree))
    assert response.headers["Location"].endswith(f"/tariffe/tabelle/{decree.id}")
    assert (decree.number, decree.official, rows_count(db)) == ("D.D. 53/2021", True, 2)
    assert client.post(f"/tariffe/tabelle/importazioni/{pending.id}/conferma").status_code == 302
    assert rows_count(db) == 2  # confirming twice changes nothing


def test_a_file_with_bad_rows_shows_every_error_and_cannot_be_confirmed(client, db, staff):
    response = upload(client, BAD)
    page = page_text(client.get(response.headers["Location"]))
    assert "Livello «9» sconosciuto" in page and "Data impossibile: 31/02/2021" in page
    assert "Conferma l'importazione" not in page
    pending = db.session.scalar(select(PendingImport))
    assert [line for line, _ in pending.errors] == [3, 4]
    client.post(f"/tariffe/tabelle/importazioni/{pending.id}/conferma")
    assert rows_count(db) == 0 and db.session.scalar(select(Decree)) is None


def test_xlsx_import_updates_an_existing_decree_and_shows_what_changes(client, db, staff):
    services.import_table_file(GOOD, OFFICIAL_53)
    data = xlsx_bytes(["livello", "decorrenza", "euro_minuto"], ["1", "01/04/2021", "0,3510"], ["5S", "01/04/2021", "0,5292"])
    response = upload(client, data, "tabella.xlsx")
    page = page_text(client.get(response.headers["Location"]))
    assert "1 modificate, 1 invariate" in page and "modificata (era 0,3503)" in page
    pending = db.session.scalar(select(PendingImport))
    client.post(f"/tariffe/tabelle/importazioni/{pending.id}/conferma")
    assert db.session.scalar(select(DecreeRow.euro_minute).where(DecreeRow.level == "1")) == Decimal("0.3510")


def test_a_failure_while_applying_rolls_everything_back(client, db, staff, monkeypatch):
    upload(client, GOOD)
    pending = db.session.scalar(select(PendingImport))

    def broken_record(*args, **kwargs):
        raise RuntimeError("audit log down")

    monkeypatch.setattr(services, "record", broken_record)
    response = client.post(f"/tariffe/tabelle/importazioni/{pending.id}/conferma")
    assert response.status_code == 500
    db.session.expire_all()
    assert rows_count(db) == 0 and db.session.scalar(select(Decree)) is None
    assert db.session.get(PendingImport, pending.id).status == "pending"


def test_discard_and_refused_files(client, db, staff):
    upload(client, GOOD)
    pending = db.session.scalar(select(PendingImport))
    client.post(f"/tariffe/tabelle/importazioni/{pending.id}/annulla")
    assert db.session.get(PendingImport, pending.id).status == "discarded" and rows_count(db) == 0
    response = upload(client, b"%PDF-1.4 not a table", "tabella.pdf")
    assert response.status_code == 422 and "Tipo di file non ammesso" in page_text(response)
    response = upload(client, b"a;b\n1;2\n")
    assert response.status_code == 422 and "Intestazione non trovata" in page_text(response)
    response = upload(client, GOOD, number="")
    assert response.status_code == 422 and "Campo obbligatorio" in page_text(response)


def test_uplift_page_adds_a_value(client, db, staff):
    response = client.post("/tariffe/maggiorazione", data={"component": "formazione", "percent": "7,5",
                                                            "effective_from": "2026-01-01", "note": "Nuova proposta"})
    assert response.status_code == 302
    assert services.uplift_index().parts(date(2026, 1, 1))["formazione"] == Decimal("7.5")
    response = client.post("/tariffe/maggiorazione", data={"component": "formazione", "percent": "tanto", "effective_from": "2026-01-01"})
    assert response.status_code == 422 and "Scrivi un numero" in page_text(response)


def test_decree_pages_and_comparison(client, db, staff):
    services.import_table_file(GOOD, OFFICIAL_53)
    services.import_table_file(csv_bytes("livello;decorrenza;euro_minuto", "1;01/01/2019;0,3411"), services.DecreeInfo("D.D. 77/2018", date(2018, 10, 1), source="G.U."))
    first, second = db.session.scalars(select(Decree).order_by(Decree.id)).all()
    assert "0,5292" in page_text(client.get(f"/tariffe/tabelle/{first.id}"))
    chart = client.get(f"/tariffe/tabelle/{first.id}/grafico.svg")
    assert chart.mimetype == "image/svg+xml" and b"<svg" in chart.data and b"style=" not in chart.data
    page = page_text(client.get(f"/tariffe/tabelle/confronto?a={second.id}&b={first.id}"))
    assert "2,7" in page  # level 1: 0.3411 -> 0.3503 is +2.7 %
