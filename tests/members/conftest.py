"""Helpers for the members tests: cheap password hashing, signing in without the form."""

from functools import partial

import pytest
from werkzeug.security import generate_password_hash

import portal.members.models


@pytest.fixture(autouse=True)
def fast_password_hash(request, monkeypatch):
    """scrypt costs ~0.2 s a hash: the tests use one round of PBKDF2 unless they ask for the real one.

    A test that checks how passwords are stored requests the `real_password_hash` fixture.
    """
    if "real_password_hash" not in request.fixturenames:
        monkeypatch.setattr(
            portal.members.models, "generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1")
        )


@pytest.fixture
def real_password_hash():
    return True


@pytest.fixture
def login_as(client):
    """Sign a user in by writing Flask-Login's session keys (the login form has its own tests)."""

    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return login
