"""Reminders and flags the daily job sends once: each has a key, recorded when it goes out."""

from datetime import date

from sqlalchemy import select

from portal.certification.models import Reminder
from portal.extensions import db


def first_time(key: str, on: date) -> bool:
    """True the first time `key` is asked, which records it: the same reminder never goes out twice."""
    if db.session.scalar(select(Reminder.id).where(Reminder.key == key)) is not None:
        return False
    db.session.add(Reminder(key=key, sent_on=on))
    return True


def due_threshold(days_left: int, thresholds: tuple[int, ...], prefix: str, on: date) -> int | None:
    """The reminder due today among `thresholds` (days before a date), sent once each.

    When the job missed days, only the most urgent one goes out and the earlier ones are marked
    as passed: a company is never sent "60 days left" and "7 days left" on the same morning."""
    reached = [t for t in sorted(thresholds) if days_left <= t]
    if not reached:
        return None
    urgent = reached[0]
    for threshold in reached[1:]:
        first_time(f"{prefix}:{threshold}", on)
    return urgent if first_time(f"{prefix}:{urgent}", on) else None
