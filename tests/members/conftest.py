"""Helpers for the members tests: the real password hashing on demand, signing in without the form."""

import pytest

from portal.config import Config
from tests.sessions import sign_in


@pytest.fixture
def real_password_hash(app):
    """The production hashing (scrypt) for a test that checks how passwords are stored;
    the others use the testing config's fast PBKDF2."""
    app.config["PASSWORD_HASH_METHOD"] = Config.PASSWORD_HASH_METHOD
    return True


@pytest.fixture
def login_as(client):
    """Sign a user in by writing Flask-Login's session keys (the login form has its own tests)."""

    def login(user):
        sign_in(client, user)
        return user

    return login
