"""Signed-in sessions kept on the server, so that they can end.

The browser's cookie (signed by Flask) carries a random session key; the database keeps its
SHA-256 in a `UserSession` row. A session is valid while its row says so: logout, "end this
session" on the sessions page, a password change or reset, the idle timeout and the absolute
lifetime all end it on the server, so a copied cookie stops working at once.

Cost per request: the signed-in user is loaded with their session in one query by the session
key's unique index (`load_session`), and "last seen" is written at most once a minute.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, request, session
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import User

SESSION_KEY = "_sid"
LAST_SEEN_EVERY = timedelta(minutes=1)

# Why a session ended (UserSession.ended_reason).
LOGOUT, ENDED_BY_USER, IDLE, EXPIRED = "logout", "ended", "idle", "expired"
PASSWORD, DEACTIVATED, ROLE_CHANGED, SECOND_FACTOR = "password", "deactivated", "role", "second_factor"


# The first token found names the browser and the system (order matters: Edge's agent also says Chrome).
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Linux", "Linux"))


class UserSession(db.Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(20))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    second_factor: Mapped[bool] = mapped_column(default=False)  # signed in with the second factor

    user = relationship("User")

    def __str__(self) -> str:
        return f"Sessione {self.id}"

    def end_reason(self, now: datetime) -> str | None:
        """Why the session is over at `now`, or None while it is valid."""
        if self.ended_at is not None:
            return self.ended_reason or LOGOUT
        if now >= self.expires_at:
            return EXPIRED
        if now - self.last_seen_at > timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]):
            return IDLE
        return None

    @property
    def browser(self) -> str:
        """"Firefox, Windows": enough for a person to recognise their own device."""
        agent = self.user_agent
        name = next((label for token, label in BROWSERS if token in agent), "")
        system = next((label for token, label in SYSTEMS if token in agent), "")
        return ", ".join(part for part in (name, system) if part) or agent[:60]

    @property
    def is_current(self) -> bool:
        return getattr(g, "user_session", None) is not None and g.user_session.id == self.id


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(user, ip: str | None, user_agent: str, second_factor: bool) -> tuple[UserSession, str]:
    """A new session row and its key (for the browser's cookie only). The caller commits."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(key_hash=_digest(key), user_id=user.id, created_at=now, last_seen_at=now,
                      expires_at=now + timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]),
                      ip=ip, user_agent=user_agent[:300], second_factor=second_factor)
    db.session.add(row)
    db.session.flush()
    return row, key


def start(user, second_factor: bool = False) -> UserSession:
    """A new session for `user` in this browser (the caller has cleared the old cookie session)."""
    row, key = create(user, request.remote_addr, request.user_agent.string or "", second_factor)
    session[SESSION_KEY] = key
    g.user_session = row
    return row


def load_session(user_id: str):
    """Flask-Login's user loader: the user of this browser's valid session, or None.

    One query by the key's unique index brings the session, its user and the user's company."""
    key = session.get(SESSION_KEY)
    if not key or not user_id.isdigit():
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.key_hash == _digest(key))
                            .options(joinedload(UserSession.user).joinedload(User.company)))
    if row is None or row.user_id != int(user_id):
        return None
    now = utcnow()
    reason = row.end_reason(now) or (None if row.user.active else DEACTIVATED)
    if reason is not None:
        if row.ended_at is None:
            _end([row.id], reason, now)
        return None
    if now - row.last_seen_at >= LAST_SEEN_EVERY:
        # On a connection of its own: committing the request's session would expire the user just loaded.
        with db.engine.begin() as connection:
            connection.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
        set_committed_value(row, "last_seen_at", now)
    g.user_session = row
    return row.user


def current() -> UserSession | None:
    return getattr(g, "user_session", None)


def _end(ids, reason: str, now: datetime | None = None) -> None:
    """End the sessions `ids` (a list or a query of ids) that are still open."""
    db.session.execute(update(UserSession).where(UserSession.id.in_(ids), UserSession.ended_at.is_(None))
                       .values(ended_at=now or utcnow(), ended_reason=reason).execution_options(synchronize_session=False))
    db.session.commit()


def end_current(reason: str = LOGOUT) -> None:
    row = current()
    if row is not None:
        _end([row.id], reason)
    session.pop(SESSION_KEY, None)


def end_others(user, reason: str) -> None:
    """Every other session of the user ends (this browser's stays); the caller committed its change."""
    row = current()
    query = select(UserSession.id).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if row is not None:
        query = query.where(UserSession.id != row.id)
    _end(query, reason)


def end_one(user, session_id: int) -> bool:
    """End one of the user's sessions (from the sessions page); False when it is not theirs or over."""
    query = select(UserSession.id).where(UserSession.id == session_id, UserSession.user_id == user.id,
                                         UserSession.ended_at.is_(None))
    found = db.session.scalar(query) is not None
    if found:
        record("user.session_ended", user, {"session": session_id})
        _end(query, ENDED_BY_USER)
    return found


def end_all_others(user) -> None:
    """The user ends every session but this browser's (from the sessions page)."""
    record("user.sessions_ended", user, {})
    end_others(user, ENDED_BY_USER)


def active_sessions(user) -> list[UserSession]:
    """The user's sessions still valid now, the newest first."""
    now = utcnow()
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                                        UserSession.expires_at > now)
                              .order_by(UserSession.last_seen_at.desc())).all()
    return [row for row in rows if row.end_reason(now) is None]
