"""Signing in without the login form (whose rate limit, throttle and second factor have their own tests)."""

from portal.extensions import db
from portal.members import sessions


def sign_in(client, user) -> None:
    """Open a server-side session for `user` and write its cookie keys; None leaves the client anonymous."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            _row, key = sessions.create(user, "127.0.0.1", "tests", second_factor=True)
            db.session.commit()
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session[sessions.SESSION_KEY] = key
