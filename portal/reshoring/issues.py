"""Issued briefs: the brief as it was sent, frozen.

Issuing numbers the brief (protocol `<year>/<n>`, one more per issue in the year), dates it and
copies its title, addressees and sections; the PDF and the XLSX annex are then made once, in the
background (the PDF takes seconds), stored with their SHA-256 and served as they are from then
on, whatever the data become. Issuing the same brief again makes a new version with a new number.
A build that fails (or whose process died: still preparing after ten minutes) keeps its number and
is built again by the next "issue", so numbers have no gaps.
"""

import io
import threading
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.pdf import render_pdf
from portal.reshoring.annex import brief_annex
from portal.reshoring.brief import gather
from portal.reshoring.models import FAILED, ISSUED, PREPARING, Brief, BriefIssue
from portal.rules import RuleError
from portal.uploads import store_upload

GIVEN_UP_AFTER = timedelta(minutes=10)  # a build takes seconds: one still preparing after this was interrupted


def _next_protocol(year: int) -> str:
    issued = db.session.scalar(select(func.count()).select_from(BriefIssue).where(BriefIssue.protocol.like(f"{year}/%")))
    return f"{year}/{issued + 1:04d}"


def issue_brief(brief: Brief, user) -> BriefIssue:
    """Staff issue the brief: a numbered, dated record whose files are made in the background."""
    interrupted = utcnow() - GIVEN_UP_AFTER
    if any(i.status == PREPARING and i.issued_at > interrupted for i in brief.issues):
        raise RuleError(_("Un'emissione di questo dossier è già in preparazione: attendi che finisca."))
    if not brief.addressees.strip():
        raise RuleError(_("Indica i destinatari del dossier prima di emetterlo: la copertina li riporta."))
    failed = next((i for i in brief.issues if i.status in (FAILED, PREPARING)), None)
    if failed is not None:  # the number was given: build it again rather than leave a gap
        issue = failed
        issue.status, issue.failure, issue.progress, issue.issued_at = PREPARING, "", 0, utcnow()
        issue.title, issue.addressees, issue.sections, issue.issued_by_id = brief.title, brief.addressees, list(brief.sections), user.id
    else:
        now = utcnow()
        issue = BriefIssue(brief=brief, version=max((i.version for i in brief.issues), default=0) + 1,
                           protocol=_next_protocol(now.year), issued_at=now, issued_by_id=user.id, title=brief.title,
                           addressees=brief.addressees, sections=list(brief.sections))
        db.session.add(issue)
    record("brief.issue", brief, {"protocol": issue.protocol, "version": issue.version, "sections": issue.sections})
    try:
        db.session.commit()
    except IntegrityError:  # another issue took the number at the same moment
        db.session.rollback()
        raise RuleError(_("Un altro dossier è stato emesso nello stesso momento: riprova.")) from None
    _launch(issue.id)
    return issue


def _progress(issue: BriefIssue, percent: int) -> None:
    issue.progress = percent
    db.session.commit()


def build_issue(issue_id: int) -> None:
    """Make the issued brief's files once, from its frozen title, addressees and sections."""
    issue = db.session.get(BriefIssue, issue_id)
    data = gather(issue.brief, issue)
    _progress(issue, 20)
    pdf = render_pdf(render_template("reshoring/brief_pdf.html", **data))
    _progress(issue, 80)
    annex = brief_annex(data)
    name = f"dossier-{issue.protocol.replace('/', '-')}"
    issue.pdf_file = store_upload(FileStorage(io.BytesIO(pdf), filename=f"{name}.pdf"), {"pdf"}, issue.issued_by)
    issue.xlsx_file = store_upload(FileStorage(io.BytesIO(annex), filename=f"{name}-allegato.xlsx"), {"xlsx"}, issue.issued_by)
    issue.proposals = list(data["proposals"])
    issue.status, issue.progress = ISSUED, 100
    db.session.commit()


def _build_or_fail(issue_id: int) -> None:
    try:
        build_issue(issue_id)
    except Exception:
        current_app.logger.exception("Brief issue %s failed", issue_id)
        db.session.rollback()
        issue = db.session.get(BriefIssue, issue_id)
        issue.status = FAILED
        issue.failure = _("Errore imprevisto nel preparare i file: emetti di nuovo il dossier (il numero resta lo stesso).")
        db.session.commit()


def _launch(issue_id: int) -> None:
    """Build in a background thread, so no web worker waits for the PDF (inline under tests).
    The scale-out job system takes this over once it lands on main."""
    app = current_app._get_current_object()
    if app.config.get("BRIEF_ISSUE_INLINE", app.testing):
        _build_or_fail(issue_id)
        return
    locale = str(get_locale())

    def work() -> None:
        with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]), force_locale(locale):
            try:
                _build_or_fail(issue_id)
            finally:
                db.session.remove()

    threading.Thread(target=work, daemon=True, name=f"brief-issue-{issue_id}").start()
