"""The Bollino Blu's daily work, sent by Celery beat every night (and run by `flask certificates daily`).

Every step is safe to repeat: what was done or sent is recorded, so a second run the same day,
or a run after missed days, does each thing once. `on` is the day the job acts for (tests pass a
fixed date; the scheduler passes today).
"""

from dataclasses import dataclass, field
from datetime import date

from celery.schedules import crontab
from flask import current_app, has_request_context

from portal.certification import certificates, nonconformities, surveillance
from portal.extensions import db
from portal.jobs import periodic


@dataclass
class DailyReport:
    planned: int = 0
    opened: list[str] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    expiry_reminders: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    nonconformities_overdue: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"sorveglianze pianificate: {self.planned}",
            f"sorveglianze aperte: {', '.join(self.opened) or '-'}",
            f"promemoria di sorveglianza: {', '.join(self.reminded) or '-'}",
            f"sorveglianze scadute: {', '.join(self.overdue) or '-'}",
            f"promemoria di scadenza: {', '.join(self.expiry_reminders) or '-'}",
            f"certificati scaduti: {', '.join(self.expired) or '-'}",
            f"non conformità scadute: {', '.join(map(str, self.nonconformities_overdue)) or '-'}",
        ]


def run_daily(on: date | None = None) -> DailyReport:
    """Plan, open, remind, flag, expire: each step commits on its own, so one failure keeps the others' work.

    Outside a request (a scheduled job, the command line) the e-mails' links are built on PUBLIC_BASE_URL."""
    if has_request_context():
        return _run(on or date.today())
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return _run(on or date.today())


@periodic("certificates.daily", crontab(hour=2, minute=15))
def daily_tonight() -> None:
    """Celery beat's nightly run: nobody has to remember the command."""
    run_daily()


def _run(on: date) -> DailyReport:
    report = DailyReport()
    report.planned = surveillance.plan_missing(on)
    db.session.commit()
    report.opened = [r.certificate.number for r in surveillance.open_due(on)]
    db.session.commit()
    report.reminded = [r.certificate.number for r in surveillance.remind(on)]
    db.session.commit()
    report.overdue = [r.certificate.number for r in surveillance.flag_overdue(on)]
    db.session.commit()
    report.nonconformities_overdue = [nc.id for nc in nonconformities.flag_overdue(on)]
    db.session.commit()
    report.expiry_reminders = [c.number for c in certificates.remind_expiry(on)]
    db.session.commit()
    report.expired = certificates.expire_due(on)
    return report
