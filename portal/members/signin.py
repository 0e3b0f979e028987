"""The last steps of signing in, shared by the login form, the second-factor pages and invitations.

After the password (or an accepted invitation) a user with a second factor is asked for a code;
a user whose role requires one and who has none sets it up first. Until then the browser holds
only a "pending" mark in its signed cookie: the user id, when the password was checked, where
to go next. No session exists and no page but these two opens. Then `finish()` starts the
server-side session (portal.members.sessions) and marks the browser as a known device.
"""

import time

from flask import redirect, session, url_for
from flask_login import login_user

from portal.audit import record
from portal.extensions import db
from portal.members import lockout, second_factor, sessions
from portal.members.models import User

PENDING = "_pending_login"
PENDING_SECONDS = 5 * 60


def continue_sign_in(user: User, next_url: str):
    """The response after the first factor: the code page, the set-up page, or signed in."""
    enrolled, required = second_factor.is_enrolled(user), second_factor.required_of(user)
    if not enrolled and not required:
        return finish(user, next_url, with_second_factor=False)
    session.clear()
    session[PENDING] = {"user": user.id, "at": int(time.time()), "next": next_url}
    return redirect(url_for("members.login_code" if enrolled else "members.login_enrol"))


def pending_user() -> tuple[User, str] | None:
    """The user half-way through signing in, and where they were going; None when none or expired."""
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending["user"])
    if user is None or not user.active:
        return None
    return user, pending["next"]


def finish(user: User, next_url: str, with_second_factor: bool, response=None):
    """Start the session (a fresh cookie session: no fixation), record the login, remember the device."""
    lang, flashes = session.get("lang"), session.get("_flashes")
    session.clear()
    sessions.start(user, second_factor=with_second_factor)
    login_user(user)
    if user.locale or lang:
        session["lang"] = user.locale or lang
    if flashes:  # what the page before said ("a recovery code used", "welcome") is still shown
        session["_flashes"] = flashes
    record("user.login", user, {"second_factor": with_second_factor}, actor=user)
    db.session.commit()
    response = response or redirect(next_url)
    lockout.remember_device(response, user)
    return response
