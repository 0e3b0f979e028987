"""Uploads are judged by their bytes, never by their name, and stored under a generated name."""

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from werkzeug.datastructures import FileStorage

from portal.access import Role
from portal.rules import RuleError
from portal.uploads import EVIDENCE_KINDS, StoredFile, send_stored, store_upload

ALL_KINDS = EVIDENCE_KINDS | {"csv"}


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, format=fmt)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Sede", "Operatori"])
    workbook.active.append(["Matera", 95])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                         "<w:body><w:p><w:r><w:t>Verbale di audit</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def zip_bomb() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=name)


@pytest.fixture
def user(app, make_user):
    with app.test_request_context():
        yield make_user(Role.APPLICANT)


@pytest.mark.parametrize(("make", "name", "kind", "content_type"), [
    (pdf_bytes, "verbale.pdf", "pdf", "application/pdf"),
    (lambda: image_bytes("PNG"), "foto.png", "png", "image/png"),
    (lambda: image_bytes("JPEG"), "foto.jpg", "jpeg", "image/jpeg"),
    (xlsx_bytes, "organico.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (docx_bytes, "verbale.docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (lambda: b"Sede;Operatori\nMatera;95\n", "organico.csv", "csv", "text/csv"),
])
def test_real_files_are_accepted_and_recorded(app, db, user, make, name, kind, content_type):
    data = make()

    stored = store_upload(upload(data, name), ALL_KINDS, user)
    db.session.commit()

    assert (stored.kind, stored.content_type, stored.original_name) == (kind, content_type, name)
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.uploaded_by_id == user.id
    assert stored.read() == data
    response = send_stored(stored)
    assert response.mimetype == content_type


def test_the_kind_comes_from_the_content_not_the_name(db, user):
    stored = store_upload(upload(image_bytes("PNG"), "in-realta-una-foto.pdf"), ALL_KINDS, user)

    assert stored.kind == "png"


@pytest.mark.parametrize(("data", "name", "kinds", "message"), [
    (b"Non sono un PDF, solo testo.\n", "finto.pdf", {"pdf"}, "Tipo di file non ammesso"),
    (b"", "vuoto.pdf", {"pdf"}, "Il file è vuoto."),
    (zip_bomb(), "organico.xlsx", {"xlsx"}, "si espande troppo"),
    (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "pagina.csv", ALL_KINDS, "Tipo di file non ammesso"),
    (b"\xef\xbb\xbf  <html><body>ciao</body></html>", "pagina.pdf", ALL_KINDS, "Tipo di file non ammesso"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png",
     ALL_KINDS, "Tipo di file non ammesso"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.svg", ALL_KINDS, "Tipo di file non ammesso"),
    (b"PK\x03\x04 un archivio rotto", "rotto.docx", {"docx"}, "Tipo di file non ammesso"),
    (b"\x00\x01\x02\x03binario", "dati.csv", ALL_KINDS, "Tipo di file non ammesso"),
])
def test_refused_files(app, db, user, data, name, kinds, message):
    with pytest.raises(RuleError, match=message):
        store_upload(upload(data, name), kinds, user)

    assert db.session.query(StoredFile).count() == 0
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_plain_zip_renamed_xlsx_is_refused(user):
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("leggimi.txt", "ciao")

    with pytest.raises(RuleError, match="Tipo di file non ammesso"):
        store_upload(upload(out.getvalue(), "tabella.xlsx"), {"xlsx"}, user)


def test_oversize_is_refused(app, user):
    app.config["MAX_UPLOAD_MB"] = 1
    data = pdf_bytes() + b"0" * (1024 * 1024)

    with pytest.raises(RuleError, match="supera il limite di 1 MB"):
        store_upload(upload(data, "grande.pdf"), {"pdf"}, user)


def test_a_missing_file_is_refused(user):
    with pytest.raises(RuleError, match="Scegli un file"):
        store_upload(None, {"pdf"}, user)
    with pytest.raises(RuleError, match="Scegli un file"):
        store_upload(upload(b"", ""), {"pdf"}, user)


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "cartella/verbale.pdf", "..verbale.pdf",
                                  "verbale\x00.pdf", "verbale\n.pdf"])
def test_a_name_with_folders_or_control_characters_is_refused(app, user, name):
    with pytest.raises(RuleError, match="Il nome del file non è valido"):
        store_upload(upload(pdf_bytes(), name), {"pdf"}, user)
    assert not Path(app.config["UPLOAD_FOLDER"]).exists() or not any(Path(app.config["UPLOAD_FOLDER"]).iterdir())


def test_an_odd_but_bare_name_is_stored_under_a_generated_name(app, db, user):
    stored = store_upload(upload(pdf_bytes(), "<verbale> è ok?.pdf"), {"pdf"}, user)

    folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert stored.stored_name.isalnum() and "verbale" not in stored.stored_name
    assert "<" not in stored.original_name and stored.original_name.endswith(".pdf")
    assert [p.name for p in folder.iterdir()] == [stored.stored_name]


def test_two_uploads_of_the_same_name_do_not_overwrite_each_other(db, user):
    first = store_upload(upload(pdf_bytes(), "verbale.pdf"), {"pdf"}, user)
    second = store_upload(upload(image_bytes("PNG"), "verbale.pdf"), {"pdf", "png"}, user)

    assert first.stored_name != second.stored_name
    assert first.read() != second.read()
