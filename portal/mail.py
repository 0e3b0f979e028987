"""E-mail through an outbox: queued in the action's transaction, sent after it commits.

A message is a row of `OutboxMessage` written in the same transaction as the action that
causes it, so the action and its e-mail are saved together or not at all. Once the
transaction commits, the new messages are delivered; a delivery failure leaves the message
`failed` in the outbox, where staff see it and `flask --app portal mail retry` resends it.

A message may carry an iCalendar part (an invitation, its update or its cancellation): it goes
as the text/calendar alternative of the body with its METHOD, which mail clients show as a
meeting to accept, and as an `invito.ics` attachment for the clients that only read those.
"""

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

QUEUED, SENT, FAILED = "queued", "sent", "failed"


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
    calendar: Mapped[str | None] = mapped_column(Text)  # an iCalendar object with its METHOD (RFC 5546)


def queue_mail(recipient: str, subject: str, template: str, calendar: bytes | None = None, **context) -> OutboxMessage:
    """Queue an e-mail rendered from `templates/mail/<template>` (plain text), with an iCalendar part if given."""
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body=render_template(f"mail/{template}", **context),
        calendar=calendar.decode() if calendar else None,
    )
    db.session.add(message)
    db.session.info.setdefault("outbox", []).append(message)
    return message


def _calendar_method(calendar: str) -> str:
    return next((line.split(":", 1)[1].strip() for line in calendar.splitlines() if line.startswith("METHOD:")), "PUBLISH")


def _smtp_send(app, recipient: str, subject: str, body: str, calendar: str | None = None) -> None:
    email = EmailMessage()
    email["From"] = app.config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email["Message-ID"] = make_msgid(domain="assocontact.it")
    email.set_content(body)
    if calendar:
        email.add_alternative(calendar, subtype="calendar", params={"method": _calendar_method(calendar)})
        email.make_mixed()
        email.add_attachment(calendar.encode(), maintype="application", subtype="ics", filename="invito.ics")
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
        try:
            if app.config["MAIL_BACKEND"] == "console":
                print(f"--- e-mail to {row['recipient']}: {row['subject']}\n{row['body']}\n---")
            else:
                _smtp_send(app, row["recipient"], row["subject"], row["body"], row["calendar"])
        except (OSError, smtplib.SMTPException) as exc:
            app.logger.warning("E-mail %s to %s not sent: %s", row["id"], row["recipient"], exc)
            values.update(status=FAILED, last_error=str(exc)[:500])
        else:
            values.update(status=SENT, sent_at=utcnow(), last_error=None)
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
