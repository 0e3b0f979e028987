"""The second factor of staff and admin accounts: a TOTP app (RFC 6238, pyotp) and recovery codes.

- The TOTP seed is stored sealed (`portal.sealing`): a database dump does not give it away.
- A code is accepted for the current 30-second step or the one before or after (clock drift), and
  only once: the last step used is kept, so a code seen over someone's shoulder is dead at once.
- Ten recovery codes of 60 random bits each, shown once, stored as salted SHA-256, single-use.
- Attempts are counted per account in the shared rate-limit storage (`portal.throttle`).
- The roles in SECOND_FACTOR_REQUIRED_ROLES (admin by default) cannot finish signing in without
  it: an admin who has none enrols during the login (`portal.members.views_security`).
"""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.members import sessions
from portal.members.models import User
from portal.members.services import tell_about_account_change
from portal.sealing import seal, unseal

SEALING_CONTEXT = "totp"
ISSUER = "Assocontact"
RECOVERY_CODES = 10
DRIFT_STEPS = 1


class RecoveryCode(db.Model):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


def offered_to(user) -> bool:
    return user.is_staff


def required_of(user) -> bool:
    return user.role in current_app.config["SECOND_FACTOR_REQUIRED_ROLES"]


def is_enrolled(user) -> bool:
    return user.totp_enabled_at is not None


# --- enrolment -----------------------------------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32()


def seal_secret(secret: str) -> str:
    """The seed as it may sit in a cookie or a row: sealed."""
    return seal(SEALING_CONTEXT, secret)


def open_secret(sealed: str | None) -> str | None:
    return unseal(SEALING_CONTEXT, sealed) if sealed else None


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(user, secret: str) -> str:
    """The enrolment QR code as an SVG data URI (an <img>: no script, allowed by the CSP)."""
    return segno.make(provisioning_uri(user, secret), error="m").svg_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step this code belongs to (now, or one step either side), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enrol(user, secret: str, code: str, session_row=None) -> list[str] | None:
    """Turn the second factor on if `code` comes from the app set up with `secret`: the new recovery
    codes (to show once), or None when the code is wrong. `session_row`: the browser's session, which
    has now proved it too."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = seal_secret(secret)
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    if session_row is not None:
        session_row.second_factor = True
    record("user.second_factor_on", user, {}, actor=user)
    tell_about_account_change(user, "second_factor_on")
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def preset(user, secret: str) -> None:
    """Demo data only: an account already set up with a published seed (`flask demo` prints it)."""
    user.totp_secret = seal_secret(secret)
    user.totp_enabled_at = utcnow()


def renew_recovery_codes(user, code: str) -> list[str] | None:
    """New recovery codes in place of the old, against a current code; None when the code is refused."""
    if verify(user, code) is None:
        return None
    codes = _new_recovery_codes(user)
    record("user.recovery_codes_renewed", user, {}, actor=user)
    tell_about_account_change(user, "recovery_codes")
    db.session.commit()
    return codes


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; the new ones are returned once and stored hashed."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        code = "-".join(secrets.token_hex(3)[:5] for _ in range(3)).upper()  # e.g. 3F9A1-07C2B-9D4E0
        salt = secrets.token_hex(16)
        db.session.add(RecoveryCode(user_id=user.id, salt=salt, code_hash=_hash(salt, code)))
        codes.append(code)
    return codes


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code.strip().upper()}".encode()).hexdigest()


def remove(user, by) -> None:
    """Turn the second factor off: the user themselves, or an admin (`by`; None from the command line)
    for someone who lost it, whose open sessions then end: they set it up again at the next login."""
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enabled_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record("user.second_factor_off", user, {"by": str(by) if by else "flask users reset-second-factor"}, actor=by)
    tell_about_account_change(user, "second_factor_off")
    db.session.commit()
    if by is not user:
        sessions.end_others(user, sessions.SECOND_FACTOR)


# --- signing in ----------------------------------------------------------------------------------

def sign_in_code(user, code: str) -> str | None:
    """The login's second step: how the code proved the factor ("totp" or "recovery"), or None,
    recorded as a failed attempt."""
    how = verify(user, code)
    if how is None:
        record("user.second_factor_failed", user, {}, actor=user)
        db.session.commit()
    return how


def verify(user, code: str) -> str | None:
    """How the code proved the second factor ("totp" or "recovery"), or None. Each code works once:
    a code of the app presented again is recorded and its owner told (someone else may have the
    password and have seen the code, ASVS 2.8.5). Commits what it used up."""
    secret = open_secret(user.totp_secret)
    step = _matching_step(secret, code) if secret else None
    if step is not None:
        used = db.session.execute(update(User).where(User.id == user.id, (User.totp_last_step.is_(None))
                                                     | (User.totp_last_step < step))
                                  .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
        if used:
            user.totp_last_step = step
        else:
            record("user.second_factor_replayed", user, {}, actor=user)
            tell_about_account_change(user, "second_factor_replayed")
        db.session.commit()
        return "totp" if used else None
    for row in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))):
        if hmac.compare_digest(row.code_hash, _hash(row.salt, code)):
            used = db.session.execute(update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                                      .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
            if used:
                record("user.recovery_code_used", user, {"left": remaining_codes(user)}, actor=user)
            db.session.commit()
            return "recovery" if used else None
    return None


def remaining_codes(user) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                                RecoveryCode.used_at.is_(None))).all())


def current_code(user) -> str:
    """The code the user's app shows now (development helper behind `flask users demo-code`)."""
    return pyotp.TOTP(open_secret(user.totp_secret)).now()
