"""Secure links: the random part of a personal URL (password reset, invitation, a personal
consultation or RSVP link, a read-only link), stored only as its hash.

    raw = tokens.issue("password_reset", user=user, valid_for=timedelta(hours=2))
    url = absolute_url("members.reset_password", token=raw)      # goes into the e-mail only
    ...
    token = tokens.find("password_reset", raw)                   # None: unknown, expired, used, revoked
    tokens.consume(token)                                         # single use: a second use is refused

The raw token (256 random bits) leaves the portal once, in the link; the database keeps its
SHA-256 (a random secret of this length needs no slow hash), so neither a database dump nor
a page showing the table gives a working link. Each token has a purpose (a reset token opens
no invitation), an owner (a user, or an e-mail address for people without an account), an
optional object it is about (the invitation, the roundtable...), an expiry, and is single-use
unless the issuer says otherwise. `audit_note(token)` is what the audit log records when someone
acts through the link, so the entry says "the owner, from that link", not just "the owner".
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import utcnow
from portal.extensions import db

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100  # a URL part longer than this is not one of ours: no need to hash it


class SecureToken(db.Model):
    __tablename__ = "secure_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[int | None]
    single_use: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user = relationship("User")

    def __str__(self) -> str:
        return f"{self.purpose} #{self.id}"

    def is_valid(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and self.expires_at > now and not (self.single_use and self.used_at is not None)

    def is_for(self, obj) -> bool:
        return self.object_type == type(obj).__name__ and self.object_id == obj.id


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _owned_by(purpose: str, user=None, email: str | None = None, obj=None):
    """The open tokens of a purpose for an owner and/or object."""
    query = select(SecureToken).where(SecureToken.purpose == purpose, SecureToken.revoked_at.is_(None),
                                      or_(SecureToken.used_at.is_(None), SecureToken.single_use.is_(False)))
    if user is not None:
        query = query.where(SecureToken.user_id == user.id)
    if email is not None:
        query = query.where(SecureToken.email == email)
    if obj is not None:
        query = query.where(SecureToken.object_type == type(obj).__name__, SecureToken.object_id == obj.id)
    return query


def issue(purpose: str, *, valid_for: timedelta, user=None, email: str | None = None, obj=None,
          single_use: bool = True, replace: bool = True) -> str:
    """A new token; returns the raw value, to be put in the link and nowhere else.

    `replace`: the owner's earlier open tokens of this purpose (for this object) stop working,
    so only the newest link does. The caller commits (with the e-mail that carries the link)."""
    if user is None and email is None:
        raise ValueError("a token needs an owner: a user or an e-mail address")
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    if replace:
        revoke(purpose, user=user, email=email, obj=obj)
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(SecureToken(
        token_hash=_digest(raw), purpose=purpose, user_id=getattr(user, "id", None), email=email,
        object_type=type(obj).__name__ if obj is not None else None, object_id=getattr(obj, "id", None),
        single_use=single_use, expires_at=utcnow() + valid_for,
    ))
    return raw


def find(purpose: str, raw: str | None) -> SecureToken | None:
    """The valid token of this purpose behind a link, or None (unknown, expired, used or revoked)."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = db.session.scalar(select(SecureToken).where(SecureToken.token_hash == _digest(raw)))
    if token is None or token.purpose != purpose or not token.is_valid():
        return None
    return token


def consume(token: SecureToken) -> bool:
    """Mark a single-use token used; False when another request used it first (the caller refuses).

    One conditional UPDATE: two requests racing with the same link cannot both succeed."""
    now = utcnow()
    if not token.single_use:
        return token.is_valid(now)
    done = db.session.execute(
        update(SecureToken).where(SecureToken.id == token.id, SecureToken.used_at.is_(None),
                                  SecureToken.revoked_at.is_(None), SecureToken.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if done:
        token.used_at = now
    return bool(done)


def revoke(purpose: str, *, user=None, email: str | None = None, obj=None) -> None:
    """Every open token of this purpose for the owner (and object) stops working."""
    for token in db.session.scalars(_owned_by(purpose, user, email, obj)):
        token.revoked_at = utcnow()


def audit_note(token: SecureToken) -> dict:
    """What an audit entry records of an action taken through a link."""
    return {"via_link": token.purpose, "link_id": token.id}
