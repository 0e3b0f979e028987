"""Wrong passwords slow the guesser down without locking the owner out.

Failures are counted per account and client in `LoginThrottle` rows (in the database: every
worker and node sees the same counts). A client is the browser's "known device" cookie when the
account signed in from that browser before, else its address. After LOGIN_MAX_FAILURES free
tries a client waits 30 seconds, then 1, 2, 4... minutes (at most LOGIN_LOCKOUT_MINUTES) after
each further failure. The account as a whole counts too, from clients it never signed in from:
after LOGIN_ACCOUNT_MAX_FAILURES it slows down the same way, which keeps a distributed guesser
well under 100 guesses an hour, while the owner's own browser (with its known-device cookie) is
not slowed by what strangers do. The owner is told by e-mail when a slowdown starts; a password
reset (which a blocked owner can always ask for) clears the counts and makes that browser known.

OWASP's "device cookies" (Authentication Cheat Sheet) and ASVS 2.2.1.
"""

import secrets
from datetime import datetime, timedelta

from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import ForeignKey, String, UniqueConstraint, case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.mail import queue_mail

ACCOUNT = "*"  # the row counting an account's failures from unknown clients
FIRST_DELAY = timedelta(seconds=30)
FORGET_AFTER = timedelta(hours=1)  # failures older than this start the count again
NOTIFY_EVERY = timedelta(hours=1)
DEVICE_MAX_AGE = 365 * 24 * 3600


class LoginThrottle(db.Model):
    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("user_id", "client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    client: Mapped[str] = mapped_column(String(100))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]


# --- which client is this ------------------------------------------------------------------------

def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal-known-device")


def device_cookie_name() -> str:
    return "__Host-device" if current_app.config["SESSION_COOKIE_SECURE"] else "portal_device"


def known_device(user) -> str | None:
    """This browser's device id, if the account signed in from it before."""
    raw = request.cookies.get(device_cookie_name())
    try:
        data = _devices().loads(raw, max_age=DEVICE_MAX_AGE) if raw else None
    except BadSignature:
        return None
    return data["d"] if data and data.get("u") == user.id else None


def remember_device(response, user) -> None:
    """Mark this browser as one the account signs in from (after a login, or a reset through its link)."""
    device = known_device(user) or secrets.token_urlsafe(12)
    response.set_cookie(device_cookie_name(), _devices().dumps({"u": user.id, "d": device}), max_age=DEVICE_MAX_AGE,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax", path="/")


def client_of(user) -> tuple[str, bool]:
    """(the client's key, whether it is a known device of the account)."""
    device = known_device(user)
    return (f"device:{device}", True) if device else (f"ip:{request.remote_addr}", False)


# --- counting ------------------------------------------------------------------------------------

def is_blocked(user, now: datetime | None = None) -> bool:
    client, known = client_of(user)
    clients = [client] if known else [client, ACCOUNT]
    until = db.session.scalars(select(LoginThrottle.blocked_until).where(
        LoginThrottle.user_id == user.id, LoginThrottle.client.in_(clients))).all()
    now = now or utcnow()
    return any(moment is not None and moment > now for moment in until)


def record_failure(user) -> None:
    """Count a wrong password from this client (and for the account, from an unknown client); commits."""
    client, known = client_of(user)
    now = utcnow()
    config = current_app.config
    started = _count(user, client, config["LOGIN_MAX_FAILURES"], now)
    if not known:
        started = _count(user, ACCOUNT, config["LOGIN_ACCOUNT_MAX_FAILURES"], now) or started
    if started is not None:
        record("user.login_slowed", user, {"client": started.client, "failures": started.failures,
                                           "until": started.blocked_until.isoformat()})
        _tell_the_owner(user, started, now)
    db.session.commit()


def _count(user, client: str, free: int, now: datetime) -> LoginThrottle | None:
    """Add one failure (atomically: parallel guesses all count); the row when a slowdown starts."""
    fresh = LoginThrottle.last_failure_at < now - FORGET_AFTER
    bumped = db.session.execute(
        update(LoginThrottle).where(LoginThrottle.user_id == user.id, LoginThrottle.client == client)
        .values(failures=case((fresh, 1), else_=LoginThrottle.failures + 1), last_failure_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not bumped:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(user_id=user.id, client=client, failures=1, last_failure_at=now))
        except IntegrityError:  # a parallel guess created it first
            return _count(user, client, free, now)
    row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.user_id == user.id, LoginThrottle.client == client)
                            .execution_options(populate_existing=True))
    if row.failures < free:
        return None
    delay = min(FIRST_DELAY * 2 ** (row.failures - free), timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"]))
    row.blocked_until = now + delay
    return row if row.failures == free else None


def _tell_the_owner(user, row: LoginThrottle, now: datetime) -> None:
    if row.notified_at is not None and now - row.notified_at < NOTIFY_EVERY:
        return
    row.notified_at = now
    queue_mail(user.email, _("Tentativi di accesso al tuo account Assocontact"), "members/login_slowed.txt", user=user,
               failures=row.failures, whole_account=row.client == ACCOUNT, address=request.remote_addr,
               minutes=max(1, round((row.blocked_until - now).total_seconds() / 60)))


def clear(user) -> None:
    """Forget the user's failures (a successful login, or a new password). The caller commits."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.user_id == user.id))
