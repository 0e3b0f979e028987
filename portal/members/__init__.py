"""Member companies, their sites and users; login, invitations and roles."""

from portal.members import demo, views, views_account, views_admin, views_security  # noqa: F401  (routes, demo data)
from portal.members.blueprint import bp

__all__ = ["bp"]
