"""E-mail through an outbox: queued in the action's transaction, sent after it commits.

A message is a row of `OutboxMessage` written in the same transaction as the action that
causes it, so the action and its e-mail are saved together or not at all. Once the
transaction commits, the new messages are delivered; a delivery failure leaves the message
`failed` in the outbox, where staff see it and `flask --app portal mail retry` resends it.

A personal link (password reset, invitation) is passed as a secret: `queue_mail(...,
secrets={"url": link})`. The stored body holds a placeholder instead, which is what staff see in
the outbox; the link itself is kept sealed (`portal.sealing`) until the message is sent, then
erased. Nobody but the recipient ever reads it.
"""

import json
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import click
from flask import current_app, render_template
from flask.cli import AppGroup
from sqlalchemy import String, Text, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.database import utcnow
from portal.extensions import db
from portal.sealing import seal, unseal

QUEUED, SENT, FAILED = "queued", "sent", "failed"
SEALING_CONTEXT = "outbox"


def placeholder(name: str) -> str:
    """What the stored body shows where a secret goes (the same in every language: staff read it)."""
    return f"[link personale ({name}): inviato solo al destinatario, non conservato]"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
    sealed_secrets: Mapped[str | None] = mapped_column(Text)  # erased once sent


def body_to_send(body: str, sealed_secrets: str | None) -> str | None:
    """The body with its secrets in place; None when they can no longer be read (SECRET_KEY changed)."""
    if not sealed_secrets:
        return body
    opened = unseal(SEALING_CONTEXT, sealed_secrets)
    if opened is None:
        return None
    for name, value in json.loads(opened).items():
        body = body.replace(placeholder(name), value)
    return body


def queue_mail(recipient: str, subject: str, template: str, secrets: dict[str, str] | None = None,
               **context) -> OutboxMessage:
    """Queue an e-mail rendered from `templates/mail/<template>` (plain text); `secrets` are template
    values (personal links) that only the recipient may read."""
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    secrets = secrets or {}
    message = OutboxMessage(
        recipient=recipient,
        subject=" ".join(subject.split()),  # one line: a name typed with a line break would break the header
        body=render_template(f"mail/{template}", **context, **{name: placeholder(name) for name in secrets}),
        sealed_secrets=seal(SEALING_CONTEXT, json.dumps(secrets)) if secrets else None,
    )
    db.session.add(message)
    db.session.info.setdefault("outbox", []).append(message)
    return message


def _smtp_send(app, recipient: str, subject: str, body: str) -> None:
    email = EmailMessage()
    email["From"] = app.config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email["Message-ID"] = make_msgid(domain="assocontact.it")
    email.set_content(body)
    with smtplib.SMTP(app.config["MAIL_SERVER"], app.config["MAIL_PORT"], timeout=10) as smtp:
        if app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if app.config["MAIL_USERNAME"]:
            smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"])
        smtp.send_message(email)


def deliver(app, message_ids: list[int]) -> int:
    """Try to send the given messages; record the result of each. Returns how many went out.

    Runs outside the ORM session (it is called from `after_commit`), one short transaction
    per message so that a failure of one never hides the delivery of another.
    """
    table = OutboxMessage.__table__
    with db.engine.begin() as conn:
        rows = conn.execute(select(table).where(table.c.id.in_(message_ids))).mappings().all()
    sent = 0
    for row in rows:
        values: dict = {"attempts": row["attempts"] + 1}
        body = body_to_send(row["body"], row["sealed_secrets"])
        try:
            if body is None:
                raise ValueError("il link personale non è più leggibile (SECRET_KEY cambiata): va richiesto di nuovo")
            if app.config["MAIL_BACKEND"] == "console":  # development only: config refuses it in production
                print(f"--- e-mail to {row['recipient']}: {row['subject']}\n{body}\n---")
            else:
                _smtp_send(app, row["recipient"], row["subject"], body)
        except (OSError, ValueError, smtplib.SMTPException) as exc:
            app.logger.warning("E-mail %s to %s not sent: %s", row["id"], row["recipient"], exc)
            values.update(status=FAILED, last_error=str(exc)[:500])
        else:
            values.update(status=SENT, sent_at=utcnow(), last_error=None, sealed_secrets=None)
            sent += 1
        with db.engine.begin() as conn:
            conn.execute(update(table).where(table.c.id == row["id"]).values(**values))
    return sent


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    pending = session.info.pop("outbox", [])
    if pending:
        deliver(current_app._get_current_object(), [m.id for m in pending])


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox", None)


mail_cli = AppGroup("mail", help="Posta in uscita. Reinvia le e-mail in coda o rifiutate dal server SMTP.")


@mail_cli.command("retry")
def retry_command() -> None:
    """Invia di nuovo ogni e-mail in coda o non consegnata."""
    ids = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status.in_([QUEUED, FAILED]))
    ).all()
    sent = deliver(current_app._get_current_object(), list(ids))
    click.echo(f"{sent} di {len(ids)} e-mail inviate.")
