"""Finding 10: the audit entries of profile and password changes named the object `LocalProxy`
(the `current_user` proxy) instead of the user. Who did what to which object, from the UI."""

from sqlalchemy import select

from portal.access import Role
from portal.audit import AuditEntry
from tests.conftest import PASSWORD

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
