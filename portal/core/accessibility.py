"""The accessibility statement (AgID's model) and the reports people send through its form.

The statement's facts live here, not in the template, and change at each review: the conformity
status, the known non-conformities, the dates. A report reaches every active staff member by
e-mail and waits in the staff's list until someone marks it handled; the reporter gets a receipt
with its number. AgID's guidelines give 30 days to answer: a report older than that is urgent.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.mail import queue_mail
from portal.members.models import User
from portal.members.recipients import active_staff
from portal.urls import absolute_url

# --- the statement ------------------------------------------------------------------------

PUBLISHED_ON = date(2026, 12, 1)
REVIEWED_ON = date(2026, 12, 1)
REVIEW_METHOD = _l("autovalutazione, con verifiche automatiche a ogni modifica del portale (Nu HTML Checker e "
                   "axe-core su ogni pagina percorsa dai test, prove con la sola tastiera dei moduli) e "
                   "misure con Lighthouse sulle pagine principali")
ANSWER_DAYS = 30


@dataclass(frozen=True)
class NonConformity:
    what: str
    criteria: str  # WCAG 2.1 success criteria
    alternative: str


NON_CONFORMITIES = (
    NonConformity(
        _l("I documenti PDF generati dal portale (dossier per il Ministero, certificati Bollino Blu, rapporti "
           "delle verifiche massive) non sono marcati per le tecnologie assistive (PDF non taggati)."),
        "1.3.1, 1.3.2, 2.4.2",
        _l("Gli stessi contenuti sono consultabili come pagine web del portale: anteprima del dossier, pagina "
           "di verifica del certificato nel registro pubblico, pagina dei risultati della verifica massiva."),
    ),
    NonConformity(
        _l("I grafici (tabelle ministeriali, statistiche delle tariffe, dossier) sono immagini: i valori non "
           "sono leggibili da un lettore di schermo sull'immagine stessa."),
        "1.1.1",
        _l("Ogni grafico ha un testo alternativo e i suoi valori sono nella tabella accanto o nell'esportazione "
           "in foglio di calcolo."),
    ),
)


def answer_due(received: datetime) -> date:
    return received.date() + timedelta(days=ANSWER_DAYS)


# --- reports ------------------------------------------------------------------------------

class AccessibilityReport(db.Model):
    """A problem of accessibility someone reported, or a request for content in an accessible form."""

    __tablename__ = "accessibility_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254))
    page: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text)
    handled_at: Mapped[datetime | None] = mapped_column(index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    handled_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return _("Segnalazione di accessibilità n. %(n)s", n=self.id)

    @property
    def due_on(self) -> date:
        return answer_due(self.created_at)


def report_problem(data: dict) -> AccessibilityReport:
    """Save a report, tell every active staff member, send the reporter a receipt."""
    report = AccessibilityReport(name=(data.get("name") or "").strip(), email=data["email"].strip().lower(),
                                 page=(data.get("page") or "").strip(), description=data["description"].strip())
    db.session.add(report)
    record("accessibility.report", report, {"page": report.page})
    url = absolute_url("core.accessibility_reports")
    for staff in active_staff():
        queue_mail(staff.email, _("Segnalazione di accessibilità n. %(n)s", n=report.id),
                   "core/accessibility_report.txt", report=report, url=url)
    queue_mail(report.email, _("Abbiamo ricevuto la tua segnalazione (n. %(n)s)", n=report.id),
               "core/accessibility_receipt.txt", report=report, due=report.due_on)
    db.session.commit()
    return report


def mark_handled(report: AccessibilityReport, staff: User) -> None:
    if report.handled_at is None:
        report.handled_at, report.handled_by = utcnow(), staff
        record("accessibility.handled", report)
        db.session.commit()
