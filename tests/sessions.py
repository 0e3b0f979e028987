"""Signing in without the login form (whose rate limit and lockout have their own tests)."""


def sign_in(client, user) -> None:
    """Write Flask-Login's session keys for `user`; None leaves the client anonymous."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
