"""Personal links to one consultation, for outside parties without an account.

The raw token (256 random bits) leaves the portal only in the e-mail; the participant row keeps
its SHA-256. Each e-mail to a link holder carries a fresh link (the earlier one stops working);
a session that opened a link stays in until staff revoke it or the link's term ends.
"""

import hashlib
import secrets
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from portal.certification.consultation.models import Access, Participant
from portal.database import utcnow
from portal.extensions import db

DAYS_AFTER_CLOSING = 60  # the holder can still read the answers to their comments
MAX_TOKEN_LENGTH = 100


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(participant: Participant) -> str:
    """A new link for the participant (replacing the previous one); returns the raw token."""
    raw = secrets.token_urlsafe(32)
    participant.link_hash = _digest(raw)
    closing = datetime.combine(participant.consultation.closes_on, time.max, tzinfo=UTC)
    participant.link_expires_at = closing + timedelta(days=DAYS_AFTER_CLOSING)
    return raw


def is_open(participant: Participant) -> bool:
    return (participant.access == Access.LINK and participant.link_hash is not None
            and participant.link_expires_at is not None and participant.link_expires_at > utcnow())


def find(raw: str) -> Participant | None:
    """The participant behind a link, or None (unknown, replaced, revoked or expired)."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    participant = db.session.scalar(select(Participant).where(Participant.link_hash == _digest(raw)))
    return participant if participant is not None and is_open(participant) else None


def revoke(participant: Participant) -> None:
    participant.link_hash = None
