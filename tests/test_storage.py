"""Files on both storage backends: the local folder and S3 (moto's S3 server, an emulator of the
protocol started by the tests, not AWS). Stored, read back, downloaded streamed or through a
short-lived signed URL after the same access checks, refused cleanly when S3 is down, and
cleaned up when nothing refers to them any more.
"""

import io
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage, Headers
from werkzeug.exceptions import NotFound

from portal.access import Role
from portal.database import utcnow
from portal.storage import LocalStorage, S3Storage, StorageUnavailable, storage
from portal.tariffs.models import RateBatch
from portal.uploads import StoredFile, clean_up, send_stored, store_upload
from tests.tariffs.conftest import tables  # noqa: F401  (fixture)
from tests.tariffs.files import RATES_HEADER, csv_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PRICE_LIST = csv_bytes(RATES_HEADER, "A1;3;0,40;minuto;01/01/2019;", "A2;3;0,50;minuto;01/01/2019;")
BACKENDS = ["local", "s3-stream", "s3-redirect"]


@pytest.fixture(params=BACKENDS)
def app_config(request) -> dict:
    if request.param == "local":
        return {}
    return {**request.getfixturevalue("s3_config"), "S3_DOWNLOADS": request.param.removeprefix("s3-")}


@pytest.fixture
def member(make_company, make_user):
    return make_user(Role.APPLICANT, company=make_company())


def pdf_upload(name: str = "durc.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name)


def follow(response) -> tuple[bytes, Headers]:
    """The bytes a browser gets: the response itself, or what the signed URL it redirects to serves."""
    if response.status_code in (302, 303):
        with urllib.request.urlopen(response.headers["Location"], timeout=10) as answer:
            return answer.read(), Headers(list(answer.headers.items()))
    response.direct_passthrough = False  # a file response, read here as the server would send it
    return response.get_data(), response.headers


def test_a_stored_file_reads_back_and_downloads_on_every_backend(app, db, member):
    stored = store_upload(pdf_upload(), {"pdf"}, member)
    db.session.commit()

    assert stored.read() == PDF
    with app.test_request_context():
        response = send_stored(stored, as_attachment=True)
    data, headers = follow(response)
    assert data == PDF and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="durc.pdf"' or \
        headers["Content-Disposition"] == "attachment; filename=durc.pdf"
    if app.config["STORAGE_BACKEND"] == "s3":
        assert isinstance(storage(), S3Storage)
        key = app.config["S3_BUCKET"] + "/" + stored.stored_name
        if app.config["S3_DOWNLOADS"] == "redirect":
            assert response.status_code == 303 and key in response.headers["Location"]
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(response.headers["Location"]).query)
            assert query["X-Amz-Expires"] == ["60"] and response.headers["Cache-Control"] == "no-store"
        else:
            assert response.status_code == 200 and int(headers["Content-Length"]) == len(PDF)
    else:
        assert isinstance(storage(), LocalStorage) and response.status_code == 200


def test_a_file_shown_inline_is_served_by_the_portal_itself(app, db, member):
    """The auditor's frame shows evidence from the portal's origin: never a redirect, even to S3."""
    stored = store_upload(pdf_upload(), {"pdf"}, member)
    with app.test_request_context():
        response = send_stored(stored, as_attachment=False)
    data, headers = follow(response)
    assert response.status_code == 200 and data == PDF and headers["Content-Disposition"].startswith("inline")


def test_a_results_workbook_downloads_for_its_company_only(app, client, auth, db, tables, member, make_company, make_user):  # noqa: F811
    auth.login(member.email)
    response = client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PRICE_LIST), "listino.csv"), "cliente": "INPS"})
    batch = db.session.scalar(select(RateBatch))
    url = f"/tariffe/verifiche/massiva/{batch.id}/esiti.xlsx"

    data, headers = follow(client.get(url))
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and "attachment" in headers["Content-Disposition"]

    auth.logout()
    auth.login(make_user(Role.COMPANY_ADMIN, company=make_company()).email)
    response = client.get(url)
    assert response.status_code == 404 and "Location" not in response.headers  # no signed URL for a stranger


def test_a_missing_object_is_a_404_not_a_500(app, client, db, member):
    stored = store_upload(pdf_upload(), {"pdf"}, member)
    db.session.commit()
    storage().delete(stored.stored_name)
    with pytest.raises(NotFound):
        stored.read()


def test_cleanup_deletes_what_nothing_refers_to_once_a_day_old(app, db, tables, member, client, auth):  # noqa: F811
    auth.login(member.email)
    client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                data={"file": (io.BytesIO(PRICE_LIST), "listino.csv"), "cliente": "INPS"})
    kept = {f.stored_name for f in db.session.scalars(select(StoredFile))}  # the price list and its results
    unused = store_upload(pdf_upload("vecchio.pdf"), {"pdf"}, member).stored_name  # nothing refers to it
    recent = store_upload(pdf_upload("nuovo.pdf"), {"pdf"}, member)
    db.session.commit()
    storage().save("0rphan0f0a0r0lled0back0upload000", PDF, "application/pdf")  # its row was rolled back
    db.session.execute(update(StoredFile).where(StoredFile.id != recent.id).values(uploaded_at=utcnow() - timedelta(days=2)))
    db.session.commit()

    result = clean_up()

    names = {f.stored_name for f in db.session.scalars(select(StoredFile))}
    assert names == kept | {recent.stored_name} and result["files"] == 1
    assert {name for name, _ in storage().listing()} >= names
    with pytest.raises(NotFound):
        storage().read(unused)
    assert result["orphans"] == 0  # the orphan object was written just now: it waits a day


def test_cleanup_refuses_when_most_objects_are_unknown_to_the_database(app, db, member, monkeypatch):
    monkeypatch.setattr("portal.uploads.GRACE", timedelta(minutes=-1))  # every object counts as a day old
    for n in range(3):
        storage().save(f"0therportal{n}", PDF, "application/pdf")

    result = clean_up()

    assert result["refused"] == 3 and sorted(name for name, _ in storage().listing()) == [f"0therportal{n}" for n in range(3)]


@pytest.mark.parametrize("app_config", [{"STORAGE_BACKEND": "s3", "S3_BUCKET": "nowhere", "S3_REGION": "eu-south-1",
                                         "S3_ENDPOINT_URL": "http://127.0.0.1:9", "S3_ACCESS_KEY_ID": "x",
                                         "S3_SECRET_ACCESS_KEY": "x"}], indirect=False)
def test_an_upload_while_s3_is_down_answers_503_and_saves_nothing(app, client, auth, db, tables, member):  # noqa: F811
    auth.login(member.email)
    response = client.post("/tariffe/verifiche/massiva", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(PRICE_LIST), "listino.csv"), "cliente": "INPS"})
    assert response.status_code == 503 and "momentaneamente non disponibile" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(select(func.count()).select_from(RateBatch)) == 0
    with pytest.raises(StorageUnavailable):
        storage().check()
