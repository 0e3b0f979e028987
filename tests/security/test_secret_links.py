"""Finding 1 (high): a staff account read password-reset and invitation links in the outbox and took
over the admin. The attack again: a staff member asks for the admin's password reset on the public
form, an admin invites a new admin, and the staff member opens every page the URL map offers
(every filter of the outbox, every page of the audit log): no page may hold a working link. The
links still reach their owners, work once, and the audit log names the owner acting from the link.
"""

import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.extensions import db
from portal.mail import FAILED, SENT, OutboxMessage
from portal.members.models import User
from portal.members.services import INVITATION_LINK, RESET_LINK
from portal.tokens import SecureToken, find
from tests.security.test_headers_and_sessions import get_routes
from tests.security.test_stored_xss import (  # noqa: F401 (demo_app is a fixture)
    ADMIN,
    STAFF,
    _mailbox,
    client_for,
    demo_app,
)

LINK = re.compile(r"/(?:password/reimposta|invito)/([A-Za-z0-9_\-]+)")
NEW_PASSWORD = "una frase lunga per la nuova password"


def last_link(address: str) -> str:
    body = _mailbox[-1].last_to(address).get_content()
    return re.search(r"https?://[^/\s]+(/(?:password/reimposta|invito)/\S+)", body).group(1)


@pytest.fixture(scope="module")
def attacked(demo_app):  # noqa: F811 (the imported fixture)
    """The reset of the admin's password asked by someone, and an invitation of a new admin: both mailed."""
    anonymous = demo_app.test_client()
    assert anonymous.post("/password/dimenticata", data={"email": ADMIN}).status_code == 302
    invited = client_for(demo_app, ADMIN).post("/admin/invita", data={"name": "Nuova Admin", "email": "nuova.admin@example.it",
                                                                        "role": "admin"})
    assert invited.status_code == 302
    return demo_app, {"reset": last_link(ADMIN), "invitation": last_link("nuova.admin@example.it")}


def staff_pages(app) -> dict[str, str]:
    """Every GET page of the URL map as staff, with every outbox filter and a few pages of lists."""
    staff = client_for(app, STAFF)
    urls = get_routes(app) + [f"/posta?stato={s}" for s in ("queued", "sent", "failed")] \
        + [f"/posta?page={n}" for n in (2, 3)] + [f"/registro-attivita?page={n}" for n in (2, 3)] \
        + ["/registro-attivita?azione=user", "/registro-attivita?oggetto=OutboxMessage"]
    return {url: staff.get(url).get_data().decode("utf-8", "replace") for url in urls}


def test_staff_find_no_working_link_on_any_page(attacked):
    world_app, links = attacked
    with world_app.app_context():
        pages = staff_pages(world_app)
        raw = [link.rsplit("/", 1)[1] for link in links.values()]

        leaked = [url for url, body in pages.items() if any(token in body for token in raw)]
        working = [(url, token) for url, body in pages.items() for token in LINK.findall(body)
                   if find(RESET_LINK, token) or find(INVITATION_LINK, token)]
        assert leaked == [] and working == []
        assert "inviato solo al destinatario" in pages["/posta"]  # the messages are there, their links are not


def test_the_database_keeps_no_link_in_clear(attacked):
    world_app, links = attacked
    with world_app.app_context():
        raw = [link.rsplit("/", 1)[1] for link in links.values()]
        rows = db.session.scalars(select(OutboxMessage)).all() + db.session.scalars(select(SecureToken)).all()
        dump = " ".join(str(value) for row in rows for value in row.__dict__.values())
        assert not any(token in dump for token in raw)
        sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == SENT)).all()
        assert sent and all(m.sealed_secrets is None for m in sent)  # erased once sent


def test_the_owner_uses_the_link_once_and_the_audit_log_says_from_the_link(attacked):
    world_app, links = attacked
    admin_browser = world_app.test_client()
    with world_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == ADMIN))

        answer = admin_browser.post(links["reset"], data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        again = admin_browser.post(links["reset"], data={"password": "un'altra frase lunga e nuova", "confirm": "x"})

        assert answer.location == "/accedi" and again.location == "/password/dimenticata"
        db.session.expire_all()
        assert admin.check_password(NEW_PASSWORD)
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_reset")).one()
        assert entry.actor_id == admin.id and entry.changes["via_link"] == RESET_LINK and entry.ip


def test_a_new_reset_request_replaces_the_earlier_link(app, client, smtp, make_user):
    user = make_user()
    client.post("/password/dimenticata", data={"email": user.email})
    first = re.search(r"/password/reimposta/\S+", smtp.last_to(user.email).get_content()).group()
    client.post("/password/dimenticata", data={"email": user.email})
    second = re.search(r"/password/reimposta/\S+", smtp.last_to(user.email).get_content()).group()

    assert first != second
    assert client.get(first).location == "/password/dimenticata"
    assert client.get(second).status_code == 200


def test_a_failed_message_keeps_its_link_sealed_until_the_retry_sends_it(app, db, client, runner, smtp, make_user):
    user = make_user()
    working = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 9  # nobody listens: the delivery fails
    client.post("/password/dimenticata", data={"email": user.email})
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.status == FAILED and message.sealed_secrets and "/password/reimposta/" not in message.body

    app.config["MAIL_PORT"] = working
    assert runner.invoke(args=["mail", "retry"]).exit_code == 0

    link = re.search(r"/password/reimposta/\S+", smtp.last_to(user.email).get_content()).group()
    assert client.get(link).status_code == 200
    db.session.expire_all()
    assert message.status == SENT and message.sealed_secrets is None


def test_links_are_random_and_carry_nothing_about_the_account(app, db, client, smtp, make_user):
    user = make_user()
    tokens = []
    for _ in range(2):
        client.post("/password/dimenticata", data={"email": user.email})
        tokens.append(re.search(r"/password/reimposta/(\S+)", smtp.last_to(user.email).get_content()).group(1))

    assert len(set(tokens)) == 2 and all(len(t) >= 43 for t in tokens)
    assert not any(part in t for t in tokens for part in (user.password_hash[-12:], str(user.id) + ".", user.email))
