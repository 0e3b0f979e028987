"""The outbox: e-mail leaves only after the action commits, failures stay for a retry."""

import socket
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.access import Role
from portal.mail import FAILED, SENT, OutboxMessage, queue_mail
from portal.members.models import User


def queue_reset_mail(recipient: str = "anna@example.it") -> OutboxMessage:
    return queue_mail(recipient, "Reimpostazione della password", "members/password_reset.txt",
                      user=SimpleNamespace(name="Anna"), url="http://localhost/password/reimposta/x", hours=2)


def outbox(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def smtp_down(app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    working = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = closed
    yield lambda: app.config.update(MAIL_PORT=working)
    app.config["MAIL_PORT"] = working


def test_mail_is_sent_only_after_commit(app, db, smtp):
    with app.test_request_context():
        queue_reset_mail()
        db.session.flush()
        assert smtp.messages == []  # written in the transaction, not sent yet

        db.session.commit()

    message = smtp.last_to("anna@example.it")
    assert message["Subject"] == "Reimpostazione della password" and "Buongiorno Anna" in message.get_content()
    [row] = outbox(db)
    assert row.status == SENT and row.attempts == 1 and row.sent_at is not None and row.last_error is None


def test_nothing_is_sent_when_the_transaction_rolls_back(app, db, smtp):
    with app.test_request_context():
        queue_reset_mail()
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # a later commit must not send what was rolled back

    assert smtp.messages == [] and outbox(db) == []


def test_action_succeeds_and_the_mail_waits_when_smtp_is_down(db, client, runner, smtp, smtp_down, make_user):
    user = make_user(Role.STAFF)

    response = client.post("/password/dimenticata", data={"email": user.email})

    assert response.status_code == 302  # the user is not told about our mail server
    [row] = outbox(db)
    assert row.status == FAILED and row.attempts == 1 and row.recipient == user.email
    assert "refused" in row.last_error.lower() or "errno" in row.last_error.lower()
    assert smtp.messages == []

    smtp_down()  # the server is back
    result = runner.invoke(args=["mail", "retry"])

    assert result.exit_code == 0 and "1 di 1 e-mail inviate" in result.output
    assert "/password/reimposta/" in smtp.last_to(user.email).get_content()
    [row] = outbox(db)
    assert row.status == SENT and row.attempts == 2 and row.last_error is None


def test_retry_while_still_down_keeps_the_message_failed(db, client, runner, smtp_down, make_user):
    user = make_user(Role.STAFF)
    client.post("/password/dimenticata", data={"email": user.email})

    result = runner.invoke(args=["mail", "retry"])

    assert "0 di 1 e-mail inviate" in result.output
    [row] = outbox(db)
    assert row.status == FAILED and row.attempts == 2


def test_retry_does_not_send_again_what_was_sent(db, runner, app, smtp):
    with app.test_request_context():
        queue_reset_mail()
        db.session.commit()
    smtp.messages.clear()

    result = runner.invoke(args=["mail", "retry"])

    assert "0 di 0 e-mail inviate" in result.output and smtp.messages == []


def test_a_failed_action_sends_nothing(db, client, auth, smtp, make_user, make_company):
    """An invitation refused by a rule leaves no e-mail behind, even if a later commit happens."""
    company_admin = make_user(Role.COMPANY_ADMIN, make_company())
    make_user(Role.APPLICANT, make_company(), email="occupato@example.it")
    auth.login(company_admin.email)

    client.post(f"/soci/aziende/{company_admin.company_id}/invita", data={"name": "X", "email": "occupato@example.it"})
    client.post("/profilo", data={"name": "Nome Nuovo", "locale": "it"})  # another action commits

    assert smtp.messages == [] and outbox(db) == []
    assert db.session.scalar(select(User.name).where(User.id == company_admin.id)) == "Nome Nuovo"
