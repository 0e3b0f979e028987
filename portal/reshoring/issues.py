"""Issued briefs: the brief as it was sent, frozen.

Issuing numbers the brief (protocol `<year>/<n>`, one more per issue in the year), dates it and
copies its title, addressees and sections; a job (`portal.jobs`) then makes the PDF and the XLSX
annex once (the PDF takes seconds of CPU that must not hold a web worker), and they are stored
with their SHA-256 and served as they are from then on, whatever the data become. Issuing the
same brief again makes a new version with a new number. A build that fails keeps its number and
is built again by the next "issue", so the numbers have no gaps.
"""

import io

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import Job, JobContext, JobFailed, enqueue, job
from portal.pdf import render_pdf
from portal.reshoring.annex import brief_annex
from portal.reshoring.brief import gather
from portal.reshoring.models import FAILED, ISSUED, PREPARING, Brief, BriefIssue
from portal.rules import RuleError
from portal.uploads import store_upload


def _next_protocol(year: int) -> str:
    issued = db.session.scalar(select(func.count()).select_from(BriefIssue).where(BriefIssue.protocol.like(f"{year}/%")))
    return f"{year}/{issued + 1:04d}"


def _key(issue_id: int) -> str:
    return f"brief-issue:{issue_id}"


def issue_job(issue: BriefIssue) -> Job | None:
    """The latest job that builds the issue's files (its progress, or why it failed)."""
    return db.session.scalar(select(Job).where(Job.key == _key(issue.id)).order_by(Job.id.desc()).limit(1))


def issue_brief(brief: Brief, user) -> BriefIssue:
    """Staff issue the brief: a numbered, dated record whose files a worker makes."""
    if any(i.status == PREPARING for i in brief.issues):
        raise RuleError(_("Un'emissione di questo dossier è già in preparazione: attendi che finisca."))
    if not brief.addressees.strip():
        raise RuleError(_("Indica i destinatari del dossier prima di emetterlo: la copertina li riporta."))
    now = utcnow()
    issue = next((i for i in brief.issues if i.status == FAILED), None)
    if issue is not None:  # the number was given: build it again rather than leave a gap
        issue.status, issue.failure, issue.issued_at = PREPARING, "", now
        issue.title, issue.addressees, issue.sections, issue.issued_by_id = brief.title, brief.addressees, list(brief.sections), user.id
    else:
        issue = BriefIssue(brief=brief, version=max((i.version for i in brief.issues), default=0) + 1,
                           protocol=_next_protocol(now.year), issued_at=now, issued_by_id=user.id, title=brief.title,
                           addressees=brief.addressees, sections=list(brief.sections))
        db.session.add(issue)
    try:
        db.session.flush()
    except IntegrityError:  # another issue took the number at the same moment
        db.session.rollback()
        raise RuleError(_("Un altro dossier è stato emesso nello stesso momento: riprova.")) from None
    record("brief.issue", brief, {"protocol": issue.protocol, "version": issue.version, "sections": issue.sections})
    enqueue(build_issue, issue.id, user=user, key=_key(issue.id))
    db.session.commit()
    return issue


def _issue_failed(issue_id: int) -> None:
    """The job failed or its worker died too often: the issue says so, and the next "issue" builds it again."""
    issue = db.session.get(BriefIssue, issue_id)
    if issue is not None and issue.status == PREPARING:
        issue.status = FAILED
        issue.failure = _("I file non sono stati preparati: emetti di nuovo il dossier (il numero resta lo stesso).")


@job("reshoring.brief_issue", on_failure=_issue_failed)
def build_issue(build: JobContext, issue_id: int) -> dict:
    """Make the issued brief's files once, from its frozen title, addressees and sections."""
    issue = db.session.get(BriefIssue, issue_id)
    if issue is None or issue.status != PREPARING:
        raise JobFailed(_("Questa emissione non è più in preparazione."))
    build.progress(0, 3, note=_("Raccolta dei dati."))
    data = gather(issue.brief, issue)
    build.progress(1, 3, note=_("Composizione del PDF."))
    pdf = render_pdf(render_template("reshoring/brief_pdf.html", **data))
    build.progress(2, 3, note=_("Allegato XLSX e archiviazione."))
    name = f"dossier-{issue.protocol.replace('/', '-')}"
    issue.pdf_file = store_upload(FileStorage(io.BytesIO(pdf), filename=f"{name}.pdf"), {"pdf"}, issue.issued_by)
    issue.xlsx_file = store_upload(FileStorage(io.BytesIO(brief_annex(data)), filename=f"{name}-allegato.xlsx"), {"xlsx"},
                                   issue.issued_by)
    issue.proposals = list(data["proposals"])
    issue.status = ISSUED
    return {"pdf_bytes": issue.pdf_file.size, "xlsx_bytes": issue.xlsx_file.size}
