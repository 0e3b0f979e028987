"""Who hears about each step of the Bollino Blu, and the one e-mail template they receive."""

from sqlalchemy import select

from portal.access import COMPANY_ROLES, STAFF_ROLES
from portal.extensions import db
from portal.mail import queue_mail
from portal.members.models import User


def company_users(company_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id, User.role.in_(COMPANY_ROLES), User.active)
    ))


def staff_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES), User.active)))


def tell(users, subject: str, text: str, url: str, detail: str = "") -> None:
    """Queue the notice to each user once; it leaves after the action commits."""
    seen: set[int] = set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        queue_mail(user.email, subject, "certification/notice.txt", name=user.name, text=text, detail=detail, url=url)
