"""Issued briefs are records: numbered, dated, addressed, their PDF and XLSX frozen with their SHA-256,
unchanged whatever the data become; a new issue is a new version; the files are made in the background."""

import hashlib
from html import unescape

import pytest
from sqlalchemy import select

from portal.database import utcnow
from portal.jobs import Job
from portal.jobs.engine import run_task
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


def test_the_files_are_made_by_a_job_while_the_page_shows_its_progress(app, db, staff_client, brief, monkeypatch):
    """The web request only numbers the issue; a worker makes the PDF (seconds) and the page follows its progress."""
    monkeypatch.setattr("portal.jobs._send", lambda *args: None)  # no worker takes it yet
    response = staff_client.post(f"/reshoring/dossier/{brief.id}/emetti")
    assert response.status_code == 302
    issue = latest_issue(db, brief.id)
    assert issue.status == "in_preparazione" and issue.pdf_file is None
    page = unescape(staff_client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert "preparazione del PDF e dell'allegato" in page and "job-progress" in page and "js/jobs/progress." in page
    assert staff_client.get(f"/reshoring/dossier/emissioni/{issue.id}/stato").get_json()["status"] == "queued"
    again = staff_client.post(f"/reshoring/dossier/{brief.id}/emetti", follow_redirects=True)  # a second click meanwhile
    assert "già in preparazione" in unescape(again.get_data(as_text=True))
    assert staff_client.get(f"/reshoring/dossier/emissioni/{issue.id}/pdf").status_code == 404  # nothing served before it is made
    monkeypatch.undo()
    build = db.session.scalar(select(Job).where(Job.kind == "reshoring.brief_issue"))
    run_task(app, "reshoring.brief_issue", [build.id], "")  # what a worker does with the message
    db.session.expire_all()
    assert staff_client.get(f"/reshoring/dossier/emissioni/{issue.id}/stato").get_json()["status"] == "done"
    assert latest_issue(db, brief.id).is_ready
    assert staff_client.get(f"/reshoring/dossier/emissioni/{issue.id}/pdf").mimetype == "application/pdf"
