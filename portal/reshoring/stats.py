"""What other modules may ask of the reshoring module: a company's art. 24-bis picture.

It is the Bollino Blu auditor's linked check "reshoring" (`portal.linked_checks`).
"""

from datetime import date

from sqlalchemy import or_, select

from portal.extensions import db
from portal.linked_checks import linked_check
from portal.reshoring.models import WorkAbroad
from portal.reshoring.notices import activity_label, notice_problems


@linked_check("reshoring")
def company_notice_status(company_id: int, on: date | None = None) -> dict:
    """The art. 24-bis picture of a company's work abroad not ended before `on` (default today).

    `{"records": int, "complete": bool, "problems": [str, ...]}`; complete when there is no
    work abroad or every notice went on time to all four recipients.
    """
    on = on or date.today()
    records = db.session.scalars(
        select(WorkAbroad)
        .where(WorkAbroad.company_id == company_id, or_(WorkAbroad.end_date.is_(None), WorkAbroad.end_date >= on))
        .order_by(WorkAbroad.start_date, WorkAbroad.id)
    ).all()
    problems = [
        f"{activity_label(record.country, record.place)}: {problem.message}"
        for record in records
        for problem in notice_problems(record.start_date, record.notices_sent, on)
    ]
    return {"records": len(records), "complete": not problems, "problems": problems}
