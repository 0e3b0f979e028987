"""The bulk check from the web: upload, summary, every row, every error, downloads, privacy."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.access import Role
from portal.tariffs.models import RateBatch, RateCheck
from tests.members.pages import text as page_text
from tests.tariffs.files import RATES_HEADER, csv_bytes, xlsx_bytes

PRICE_LIST = csv_bytes(
    RATES_HEADER,
    "A1;3;0,40;minuto;01/01/2019;",
    "A2;3;25,692;ora;01/01/2019;",
    "A3;3;1,47729;contatto;01/01/2019;180",
    "A4;9;0,50;minuto;01/01/2019;",
    "A5;3;0,50;minuto;31/02/2019;",
    "A6;4;0,60;minuto;01/01/2019;",
    encoding="cp1252", bom=True,
)


@pytest.fixture
def member(auth, make_company, make_user):
    user = make_user(Role.APPLICANT, company=make_company())
    auth.login(user.email)
    return user


def upload(client, data=PRICE_LIST, name="listino.csv"):
    return client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "cliente": "INPS", "settore": "pa"})


def test_upload_checks_every_row_and_reports_every_bad_one(client, db, tables, member):
    response = upload(client)
    assert response.status_code == 302
    batch = db.session.scalar(select(RateBatch))
    assert (batch.status, batch.company_id, batch.total_rows, batch.processed_rows) == ("done", member.company_id, 6, 6)
    assert batch.counts == {"conforme": 2, "sotto_minimo_sostenibile": 1, "sotto_costo_lavoro": 1, "errore": 2, "avvisi": 0}
    page = page_text(client.get(response.headers["Location"]))
    assert "Righe con errori (2)" in page
    assert "Livello «9» sconosciuto" in page and "Data impossibile: 31/02/2019" in page
    assert "dimostrativa" in page  # row A6 used the illustrative table
    worst = page.split("Le tariffe più basse")[1].split("Righe con errori")[0]
    assert worst.index("A1") < worst.index("A2") < worst.index("A6")
    errors_only = page_text(client.get(response.headers["Location"] + "?esito=errore")).split("Tutte le righe")[1]
    assert "A4" in errors_only and "A1" not in errors_only
    status = client.get(f"/tariffe/verifiche/massiva/{batch.id}/stato").get_json()
    assert status == {"status": "done", "processed": 6, "total": 6, "percent": 100, "failure": ""}


def test_downloads_csv_xlsx_and_pdf(client, db, tables, member):
    upload(client)
    batch = db.session.scalar(select(RateBatch))
    download = client.get(f"/tariffe/verifiche/massiva/{batch.id}/esiti.csv")
    assert download.data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with its BOM
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["riga_id", "esito", "tariffa_minuto"] and rows[0][7:10] == ["riga_file", "fonte", "avviso"]
    assert [r[:2] for r in rows[1:]] == [["A1", "sotto_costo_lavoro"], ["A2", "sotto_minimo_sostenibile"], ["A3", "conforme"],
                                         ["A4", "errore"], ["A5", "errore"], ["A6", "conforme"]]
    by_name = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(r["riga_file"], r["fonte"], r["livello_letto"], r["tariffa_letta"]) for r in by_name[:2]] == [
        ("2", "ufficiale", "3", "0,40"), ("3", "ufficiale", "3", "25,692")]
    assert (by_name[3]["riga_file"], by_name[3]["livello_letto"], by_name[5]["fonte"]) == ("5", "9", "dimostrativa")
    workbook = client.get(f"/tariffe/verifiche/massiva/{batch.id}/esiti.xlsx")
    assert f"verifica-{batch.id}-esiti.xlsx" in workbook.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(workbook.data))
    sheet = book["Esiti"]
    assert [c.value for c in sheet[2]][:4] == ["A1", "sotto_costo_lavoro", 0.4, 0.4282]
    assert sheet["C2"].number_format == "0.0000" and sheet["F2"].number_format == "0.0"
    assert "D.D. 123/2017" in " ".join(str(c.value) for row in book["Lettura e fonti"].iter_rows() for c in row)
    pdf = client.get(f"/tariffe/verifiche/massiva/{batch.id}/rapporto.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.mimetype == "application/pdf" and "Verifica massiva delle tariffe" in text and "INPS" in text


def test_xlsx_upload_and_unreadable_files(client, db, tables, member):
    data = xlsx_bytes(RATES_HEADER.split(";"), ["X1", "3", "0,50", "minuto", "01/01/2019", None])
    upload(client, data, "listino.xlsx")
    assert db.session.scalar(select(RateCheck.esito).where(RateCheck.ref == "X1")) == "conforme"
    response = upload(client, b"livello;tariffa\n3;0,5\n")
    batch = db.session.scalars(select(RateBatch).order_by(RateBatch.id.desc())).first()
    assert batch.status == "mapping" and "mancano le colonne" in batch.failure  # the user is asked to name them
    assert response.headers["Location"].endswith(f"/massiva/{batch.id}/colonne")
    assert "Indica le colonne" in page_text(client.get(response.headers["Location"]))
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "listino.csv")
    assert response.status_code == 422 and "Tipo di file non ammesso" in page_text(response)


def test_a_company_never_sees_another_companys_batch_or_check(client, auth, db, tables, member, make_company, make_user):
    upload(client)
    batch = db.session.scalar(select(RateBatch))
    auth.logout()
    auth.login(make_user(Role.COMPANY_ADMIN, company=make_company()).email)
    for suffix in ("", "/stato", "/esiti.csv", "/esiti.xlsx", "/rapporto.pdf"):
        assert client.get(f"/tariffe/verifiche/massiva/{batch.id}{suffix}").status_code == 404
    row = db.session.scalar(select(RateCheck))
    assert client.get(f"/tariffe/verifiche/{row.id}").status_code == 404
    assert "INPS" not in page_text(client.get("/tariffe/verifiche"))
    auth.logout()
    auth.login(make_user(Role.STAFF).email)
    assert client.get(f"/tariffe/verifiche/massiva/{batch.id}").status_code == 200
    assert "INPS" in page_text(client.get("/tariffe/verifiche"))


def test_downloads_wait_for_the_end_of_the_check(client, db, tables, member):
    upload(client)
    batch = db.session.scalar(select(RateBatch))
    batch.status, batch.processed_rows = "running", 2  # as the page looks while a worker runs it
    db.session.commit()
    page = page_text(client.get(f"/tariffe/verifiche/massiva/{batch.id}"))
    assert "batch-progress" in page and "js/tariffs/batch-progress." in page  # hashed name
    response = client.get(f"/tariffe/verifiche/massiva/{batch.id}/esiti.csv")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/massiva/{batch.id}")


def test_the_job_checks_the_batch_and_mails_the_uploader(client, db, tables, member, smtp):
    response = upload(client)
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    state = client.get(f"/tariffe/verifiche/massiva/{batch_id}/stato").get_json()
    assert state["status"] == "done" and state["processed"] == 6
    body = smtp.body(smtp.last_to(member.email))
    assert "Sotto il costo del lavoro: 1" in body and f"/tariffe/verifiche/massiva/{batch_id}" in body
