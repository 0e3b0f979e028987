"""Account invitations sent as part of another module's action, in that action's transaction.

A Bollino Blu consultation invites an outside party's person to create a consultation account
together with the invitation to comment: both go out, or neither. Members' own pages invite
through `services.invite`, which commits by itself.
"""

from portal.access import Role
from portal.members import services
from portal.members.models import Company, Invitation, User
from portal.members.services import normalise_email, user_by_email

__all__ = ["add_invitation", "normalise_email", "user_by_email"]


def add_invitation(email: str, name: str, role: Role, company: Company | None, inviter: User) -> Invitation:
    """The invitation and its e-mail, added to the caller's session: the caller's service commits
    (or rolls back, and nothing is sent). Refused like `services.invite` (RuleError)."""
    return services._invite(email, name, role, company, inviter)
