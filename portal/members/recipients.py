"""Who hears about a step: the one query for each group of people the portal writes to."""

from collections.abc import Iterable

from sqlalchemy import select

from portal.access import COMPANY_ROLES, STAFF_ROLES, Role
from portal.extensions import db
from portal.members.models import User


def active_staff() -> list[User]:
    """The association's staff and admins whose account is active."""
    return list(db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES), User.active).order_by(User.id)))


def company_users(company_id: int, roles: Iterable[Role] = COMPANY_ROLES) -> list[User]:
    """A company's active users (`roles=[Role.COMPANY_ADMIN]`: only its admins)."""
    return list(db.session.scalars(
        select(User).where(User.company_id == company_id, User.role.in_(list(roles)), User.active).order_by(User.id)
    ))
