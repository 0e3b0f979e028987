"""Issued briefs are records: numbered, dated, addressed, their PDF and XLSX frozen with their SHA-256,
unchanged whatever the data become; a new issue is a new version; the files are made in the background."""

import hashlib
import time
from html import unescape

import pytest
from sqlalchemy import select

from portal.database import utcnow
from portal.reshoring import issues
from portal.reshoring.models import Brief, BriefIssue, Support
from tests.reshoring.conftest import pdf_text


@pytest.fixture
def staff_client(client, auth, staff):
    auth.login(staff.email)
    return client


def latest_issue(db, brief_id: int) -> BriefIssue:
    db.session.expire_all()
    found = db.session.scalars(select(BriefIssue).where(BriefIssue.brief_id == brief_id).order_by(BriefIssue.version.desc())).first()
    db.session.commit()  # end the read (a background build may be writing)
    return found


def test_an_issued_brief_is_unchanged_after_the_data_change(db, staff_client, brief):
    response = staff_client.post(f"/reshoring/dossier/{brief.id}/emetti", follow_redirects=True)
    year = utcnow().year
    assert f"Dossier emesso con protocollo n. {year}/0001 (versione 1)" in unescape(response.get_data(as_text=True))
    first = latest_issue(db, brief.id)
    assert first.is_ready and first.addressees == "Ministero delle Imprese\nGabinetto del Ministro"
    assert [p.title for p in first.proposals] == ["Credito d'imposta per FTE riportati"]  # the proposals it carried
    pdf = staff_client.get(f"/reshoring/dossier/emissioni/{first.id}/pdf")
    xlsx = staff_client.get(f"/reshoring/dossier/emissioni/{first.id}/xlsx")
    assert hashlib.sha256(pdf.data).hexdigest() == first.pdf_file.sha256
    assert hashlib.sha256(xlsx.data).hexdigest() == first.xlsx_file.sha256
    text = pdf_text(pdf.data)
    assert f"Prot. n. {year}/0001" in text and "Ministero delle Imprese" in text and "Voce Chiara S.p.A." in text

    # the data change: a company withdraws its consent, staff rename the brief and leave a section out
    support = db.session.scalars(select(Support).where(Support.named)).one()
    support.named = False
    stored = db.session.get(Brief, brief.id)
    stored.title, stored.sections = "Dossier aggiornato", [s for s in stored.sections if s != "tariffe"]
    db.session.commit()
    again = staff_client.get(f"/reshoring/dossier/emissioni/{first.id}/pdf")
    assert again.data == pdf.data  # the record is the file as sent
    assert staff_client.get(f"/reshoring/dossier/emissioni/{first.id}/xlsx").data == xlsx.data

    staff_client.post(f"/reshoring/dossier/{brief.id}/emetti")
    second = latest_issue(db, brief.id)
    assert (second.version, second.protocol, second.title) == (2, f"{year}/0002", "Dossier aggiornato")
    new_text = pdf_text(staff_client.get(f"/reshoring/dossier/emissioni/{second.id}/pdf").data)
    assert f"Prot. n. {year}/0002" in new_text and "Voce Chiara S.p.A." not in new_text
    listing = unescape(staff_client.get("/reshoring/dossier").get_data(as_text=True))
    assert f"{year}/0001" in listing and f"{year}/0002" in listing
    preview = unescape(staff_client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert first.pdf_file.sha256 in preview and "Emetti una nuova versione" in preview


def test_a_brief_without_addressees_is_not_issued(db, staff_client, brief):
    brief.addressees = " "
    db.session.commit()
    response = staff_client.post(f"/reshoring/dossier/{brief.id}/emetti", follow_redirects=True)
    assert "Indica i destinatari del dossier prima di emetterlo" in unescape(response.get_data(as_text=True))
    assert latest_issue(db, brief.id) is None


def test_a_failed_build_keeps_its_number_and_is_built_again(db, staff_client, brief, monkeypatch):
    def broken(html):
        raise OSError("disk full")

    monkeypatch.setattr(issues, "render_pdf", broken)
    staff_client.post(f"/reshoring/dossier/{brief.id}/emetti")
    failed = latest_issue(db, brief.id)
    assert failed.status == "non_riuscito" and "emetti di nuovo il dossier (il numero resta lo stesso)" in failed.failure
    assert staff_client.get(f"/reshoring/dossier/emissioni/{failed.id}/pdf").status_code == 404  # nothing half-made is served
    assert staff_client.get(f"/reshoring/dossier/emissioni/{failed.id}/stato").get_json()["status"] == "failed"
    monkeypatch.undo()
    staff_client.post(f"/reshoring/dossier/{brief.id}/emetti")
    rebuilt = latest_issue(db, brief.id)
    assert (rebuilt.id, rebuilt.version, rebuilt.protocol) == (failed.id, 1, failed.protocol) and rebuilt.is_ready


def test_the_files_are_made_in_the_background_while_the_page_shows_progress(app, db, staff_client, brief):
    """The web request only numbers the issue; a thread makes the PDF (seconds) and the page polls its status."""
    app.config["BRIEF_ISSUE_INLINE"] = False

    def status_now() -> dict:
        status = staff_client.get(f"/reshoring/dossier/emissioni/{issue_id}/stato").get_json()
        db.session.rollback()  # requests here share the test's session: end its read, or SQLite keeps the writer waiting
        return status

    response = staff_client.post(f"/reshoring/dossier/{brief.id}/emetti")
    assert response.status_code == 302
    issue_id = latest_issue(db, brief.id).id
    status = status_now()
    if status["status"] == "running":  # usually: the PDF takes longer than the answer
        page = unescape(staff_client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
        db.session.rollback()
        assert "preparazione del PDF e dell'allegato" in page and "js/tariffs/batch-progress" in page
    deadline = time.monotonic() + 120
    while status["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = status_now()
    assert status == {"status": "done", "percent": 100, "processed": 100}
    assert staff_client.get(f"/reshoring/dossier/emissioni/{issue_id}/pdf").mimetype == "application/pdf"
