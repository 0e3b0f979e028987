"""Hostile uploads through the real views of every module: refused with an Italian message, nothing stored.

The targets are the certification evidence, the proposal attachments and roundtable documents,
the ministerial table import and the bulk price list. "Nothing stored" means no StoredFile row
and no new file in the upload folder.
"""

import functools
import io
import struct
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.access import Role
from portal.certification.demo import DEMO_PDF
from portal.certification.models import EvidenceLink
from portal.uploads import StoredFile
from tests.certification.conftest import request_context, world  # noqa: F401 (fixtures)
from tests.certification.test_permissions import as_user
from tests.reshoring.conftest import make_proposal, make_roundtable, staff, workflow  # noqa: F401 (fixtures)

NOT_ALLOWED = "Tipo di file non ammesso"
GIGABYTE = 1024 ** 3


@functools.cache
def zip_bomb(unpacked: int = GIGABYTE) -> bytes:
    """An XLSX-looking archive whose sheet unpacks to `unpacked` bytes of zeros (about 1 MB on disk for 1 GB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(unpacked // len(chunk)):
                sheet.write(chunk)
    return out.getvalue()


@functools.cache
def lying_zip() -> bytes:
    """A real workbook whose sheet says it unpacks to 100 bytes while it unpacks to 50 MB: the size
    check sees nothing wrong, so whatever reads it must stop at the declared size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (50 * 1024 * 1024 // 6))
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        offset, position = sheet.header_offset, archive.start_dir
    struct.pack_into("<I", data, offset + 22, 100)  # local header: uncompressed size
    while data[position:position + 4] == b"PK\x01\x02":  # central directory: the sheet's entry
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46:position + 46 + name_length] == sheet.filename.encode():
            struct.pack_into("<I", data, position + 24, 100)
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("leggimi.txt", "non sono un foglio di calcolo")
    return out.getvalue()


HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'

# (what, file name, declared content type, bytes, the Italian message)
ATTACKS = [
    ("html disguised as pdf", "verbale.pdf", "application/pdf", lambda: HTML_PAGE, NOT_ALLOWED),
    ("html disguised as csv", "listino.csv", "text/csv", lambda: b"\xef\xbb\xbf  " + HTML_PAGE, NOT_ALLOWED),
    ("svg with script", "logo.svg", "image/svg+xml", lambda: SVG_SCRIPT, NOT_ALLOWED),
    ("svg disguised as png", "logo.png", "image/png", lambda: SVG_SCRIPT, NOT_ALLOWED),
    ("program disguised as xlsx", "tabella.xlsx", "application/vnd.ms-excel", lambda: b"MZ\x90\x00" + b"\0" * 300, NOT_ALLOWED),
    ("zip disguised as xlsx", "tabella.xlsx", "application/vnd.ms-excel", plain_zip, NOT_ALLOWED),
    ("zip bomb disguised as xlsx", "tabella.xlsx", "application/vnd.ms-excel", zip_bomb, "si espande troppo"),
    ("empty", "vuoto.pdf", "application/pdf", lambda: b"", "Il file è vuoto."),
]


@pytest.fixture
def evidence_target(client, world):  # noqa: F811
    application = world.open()
    parameter = next(p for p in application.edition.parameters if p.code == "A1")
    as_user(client, world.applicant)
    return lambda file: client.post(f"/bollino/domande/{application.id}/aree/{parameter.area.code}",
                                    data={f"file_{parameter.id}": file}, content_type="multipart/form-data")


@pytest.fixture
def attachment_target(client, make_proposal, staff):  # noqa: F811
    proposal = make_proposal()
    as_user(client, staff)
    return lambda file: client.post(f"/reshoring/proposte/{proposal.id}/allegati", data={"title": "Allegato", "file": file},
                                    content_type="multipart/form-data")


@pytest.fixture
def document_target(client, make_roundtable, staff):  # noqa: F811
    roundtable = make_roundtable()
    as_user(client, staff)
    return lambda file: client.post(f"/reshoring/tavoli/{roundtable.id}/documenti", data={"title": "Verbale", "file": file},
                                    content_type="multipart/form-data")


@pytest.fixture
def table_import_target(client, make_user):
    as_user(client, make_user(Role.STAFF))
    return lambda file: client.post("/tariffe/tabelle/importa", data={"number": "D.D. 53/2021", "issued_on": "2021-08-12",
                                                                      "source": "G.U. n. 200", "file": file},
                                    content_type="multipart/form-data")


@pytest.fixture
def price_list_target(client, make_user, make_company):
    as_user(client, make_user(Role.APPLICANT, company=make_company()))
    return lambda file: client.post("/tariffe/verifiche/massiva", data={"cliente": "Cliente", "file": file},
                                    content_type="multipart/form-data")


TARGETS = ["evidence_target", "attachment_target", "document_target", "table_import_target", "price_list_target"]
TABLE_TARGETS = ["table_import_target", "price_list_target"]


class Storage:
    """What the portal has stored: StoredFile rows and the files in the upload folder."""

    def __init__(self, app, db):
        self.folder = Path(app.config["UPLOAD_FOLDER"])
        self.db = db
        self.before = self.now()

    def now(self) -> tuple[int, set[str]]:
        files = {p.name for p in self.folder.iterdir()} if self.folder.exists() else set()
        return self.db.session.scalar(select(func.count()).select_from(StoredFile)), files

    def unchanged(self) -> bool:
        self.db.session.expire_all()
        return self.now() == self.before


def send(target, data: bytes, name: str, content_type: str | None = None):
    return target((io.BytesIO(data), name, content_type) if content_type else (io.BytesIO(data), name))


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize(("what", "name", "content_type", "make", "message"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_hostile_files_are_refused_and_nothing_is_stored(request, app, db, target_name, what, name, content_type, make, message):
    target = request.getfixturevalue(target_name)
    storage = Storage(app, db)

    response = send(target, make(), name, content_type)

    assert response.status_code == 422, (what, response.status_code)
    assert message in response.get_data(as_text=True), what
    assert storage.unchanged(), f"{what}: something was stored"


@pytest.mark.parametrize("target_name", TARGETS)
def test_oversize_files_are_refused_with_the_limit_and_nothing_is_stored(request, app, db, target_name):
    target = request.getfixturevalue(target_name)
    app.config["MAX_UPLOAD_MB"] = 1
    storage = Storage(app, db)

    response = send(target, DEMO_PDF + b"0" * (1024 * 1024), "grande.pdf", "application/pdf")

    assert response.status_code == 422 and "Il file supera il limite di 1 MB." in response.get_data(as_text=True)
    assert storage.unchanged()


def test_a_request_beyond_the_size_limit_gets_the_italian_413_page(app, db, evidence_target):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    storage = Storage(app, db)

    response = send(evidence_target, DEMO_PDF + b"0" * (2 * 1024 * 1024), "enorme.pdf")

    assert response.status_code == 413 and "File troppo grande" in response.get_data(as_text=True)
    assert storage.unchanged()


def test_the_zip_bomb_is_refused_without_unpacking_it(app, db, table_import_target, monkeypatch):
    """The check reads the archive's directory only: no member is ever decompressed."""
    def no_reading(*args, **kwargs):
        raise AssertionError("an archive member was decompressed")

    bomb = zip_bomb()
    monkeypatch.setattr(zipfile.ZipExtFile, "read", no_reading)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", no_reading)

    response = send(table_import_target, bomb, "tabella.xlsx")

    assert response.status_code == 422 and "si espande troppo" in response.get_data(as_text=True)
    assert len(bomb) < 5 * 1024 * 1024  # the test's own file stays small


@pytest.mark.parametrize("target_name", ["table_import_target"])
def test_a_workbook_lying_about_its_size_is_refused_and_leaves_no_file(request, app, db, target_name):
    target = request.getfixturevalue(target_name)
    storage = Storage(app, db)

    response = send(target, lying_zip(), "tabella.xlsx")

    assert response.status_code == 422 and "Il file Excel non è leggibile" in response.get_data(as_text=True)
    assert storage.unchanged()


def test_a_table_file_with_the_wrong_columns_leaves_no_file(app, db, table_import_target):
    storage = Storage(app, db)

    response = send(table_import_target, b"colonna;altra\n1;2\n", "tabella.csv")

    assert response.status_code == 422 and "Intestazione non trovata" in response.get_data(as_text=True)
    assert storage.unchanged()


@pytest.mark.parametrize("target_name", TARGETS)
def test_path_tricks_in_the_name_are_refused(request, app, db, target_name):
    target = request.getfixturevalue(target_name)
    data, name = (b"livello;decorrenza;euro_minuto\n3;01/01/2030;0,5000\n", "..\\..\\..//etc/passwd.csv") \
        if target_name in TABLE_TARGETS else (DEMO_PDF, "../../../etc/passwd.pdf")
    if target_name == "price_list_target":
        data = b"riga_id;livello;tariffa;unita;data\nR1;3;0,90;minuto;01/01/2024\n"
    storage = Storage(app, db)

    response = send(target, data, name)

    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert "Il nome del file non è valido" in response.get_data(as_text=True)
    assert storage.unchanged()
    assert not Path("/etc/passwd.csv").exists() and not Path("/etc/passwd.pdf").exists()


def test_a_csv_attachment_holding_a_script_is_served_as_text_never_as_a_page(client, db, attachment_target):
    response = send(attachment_target, b"nome;nota\nRossi;<script>alert(1)</script>\n", "dati.csv")
    assert response.status_code == 302
    attachment_url = next(line.split('"')[1] for line in client.get(response.location).get_data(as_text=True).splitlines()
                          if "/reshoring/allegati/" in line)

    served = client.get(attachment_url)

    assert served.mimetype == "text/csv" and served.headers["X-Content-Type-Options"] == "nosniff"
    policy = served.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("download", ["", "?scarica=1"])
def test_evidence_opened_in_the_browser_is_sandboxed(client, db, world, download):  # noqa: F811 (the fixture)
    """Finding 10: evidence was served inline with a policy lacking `sandbox`."""
    application = world.under_review()
    link = db.session.scalars(select(EvidenceLink).where(EvidenceLink.application_id == application.id)).first()
    as_user(client, world.auditor1)

    served = client.get(f"/bollino/domande/{application.id}/prove/{link.evidence_id}{download}")

    assert served.status_code == 200 and served.headers["Content-Security-Policy"].startswith("sandbox;")


def workbook_with_entities() -> bytes:
    """A real workbook whose sheet declares an external entity (XXE) and a billion laughs."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["livello", "decorrenza", "euro_minuto"])
    book.active.append(["3", "01/01/2030", "0,5"])
    buffer = io.BytesIO()
    book.save(buffer)
    source, target = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    doctype = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
               '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.split("?>", 1)[1] if text.startswith("<?xml") else text
                data = (doctype + text.replace("0,5", "&xxe;&c;", 1)).encode()
            out.writestr(item, data)
    return target.getvalue()


@pytest.mark.parametrize("target_name", TABLE_TARGETS)
def test_a_workbook_with_xml_entities_is_refused_without_reading_them(request, app, db, target_name):
    """openpyxl parses uploaded workbooks through defusedxml: no external entity, no entity expansion."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    target = request.getfixturevalue(target_name)

    response = send(target, workbook_with_entities(), "tabella.xlsx")

    page = response.get_data(as_text=True)
    if response.status_code == 302:  # a bulk check is accepted, then read by its job: its page says why it failed
        page = request.getfixturevalue("client").get(response.location).get_data(as_text=True)
    assert response.status_code in (302, 422)
    assert "non è leggibile" in page and "root:" not in page and "aaaaaaaaaaaaaaaaaaaa" not in page
