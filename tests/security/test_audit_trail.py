"""Finding 10: the audit entries of profile and password changes named the object `LocalProxy`
(the `current_user` proxy) instead of the user. Who did what to which object, from the UI."""

import re

import pyotp
from sqlalchemy import select

from portal.access import Role
from portal.audit import AuditEntry
from tests.conftest import PASSWORD
from tests.sessions import sign_in

NEW = "una frase nuova e lunga"


def test_profile_and_password_changes_name_the_user_as_object_and_actor(db, client, make_user):
    user = make_user(Role.STAFF)
    client.post("/accedi", data={"email": user.email, "password": PASSWORD})

    client.post("/profilo", data={"name": "Nome Cambiato", "locale": "it"})
    client.post("/profilo/password", data={"current": PASSWORD, "password": NEW, "confirm": NEW})
    client.post("/profilo/sessioni/altre")

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in entries] == [
        ("user.login", "User", user.id, user.id),
        ("user.profile", "User", user.id, user.id),
        ("user.password_change", "User", user.id, user.id),
        ("user.sessions_ended", "User", user.id, user.id),
    ]
    assert all(e.ip == "127.0.0.1" for e in entries)


def test_the_owner_is_told_by_e_mail_when_how_they_sign_in_changes(db, client, smtp, make_user):
    """ASVS 2.2.3 / 2.5.5: a changed password or second factor is never silent (an intruder would be)."""
    user = make_user(Role.STAFF)
    sign_in(client, user)
    client.post("/profilo/password", data={"current": PASSWORD, "password": NEW, "confirm": NEW})
    page = client.get("/profilo/sicurezza").get_data(as_text=True)
    secret = re.search(r"<code[^>]*>([A-Z2-7 ]{32,})</code>", page).group(1).replace(" ", "")
    client.post("/profilo/sicurezza/attiva", data={"code": pyotp.TOTP(secret).now()})

    bodies = [m.get_content() for m in smtp.to(user.email)]
    assert len(bodies) == 2
    assert "password del tuo account" in bodies[0] and "127.0.0.1" in bodies[0] and "/password/dimenticata" in bodies[1]
    assert "verifica in due passaggi" in bodies[1]
