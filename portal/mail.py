"""E-mail through an outbox: queued in the action's transaction, sent by a worker after it commits.

A message is a row of `OutboxMessage` written in the same transaction as the action that
causes it, so the action and its e-mail are saved together or not at all. Once the
transaction commits, a `mail.deliver` task sends the new messages; a delivery failure leaves
the message `failed` in the outbox, where staff see it. Celery beat's `mail.retry` sends failed
messages again with a growing pause, and queued ones whose task was lost; `flask --app portal
mail retry` sends every pending one at once. A message is claimed before it is sent
(`retry_after`), so two tasks naming the same message send it once.

A personal link (password reset, invitation) is passed as a secret: `queue_mail(...,
secrets={"url": link})`. The stored body holds a placeholder instead, which is what staff see in
the outbox; the link itself is kept sealed (`portal.sealing`) until the message is sent, then
erased. Nobody but the recipient ever reads it.

A message may carry an iCalendar part (an invitation, its update or its cancellation): it goes
as the text/calendar alternative of the body with its METHOD, which mail clients show as a
meeting to accept, and as an `invito.ics` attachment for the clients that only read those.
"""

import json
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import click
from flask import current_app, render_template
from flask.cli import AppGroup
from sqlalchemy import String, Text, and_, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import dispatch, periodic, send_now, task
from portal.sealing import seal, unseal

QUEUED, SENT, FAILED = "queued", "sent", "failed"
SENDING_SECONDS = 120  # a claim outlives any SMTP conversation (timeout 10 s)
MAX_ATTEMPTS = 10  # retried for about two days; then staff decide (`flask mail retry`)
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
    retry_after: Mapped[datetime | None]  # no attempt before then: one is under way, or a pause after a failure
    calendar: Mapped[str | None] = mapped_column(Text)  # an iCalendar object with its METHOD (RFC 5546)


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
               calendar: bytes | None = None, **context) -> OutboxMessage:
    """Queue an e-mail rendered from `templates/mail/<template>` (plain text); `secrets` are template
    values (personal links) that only the recipient may read; `calendar` an iCalendar part."""
    context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    secrets = secrets or {}
    message = OutboxMessage(
        recipient=recipient,
        subject=" ".join(subject.split()),  # one line: a name typed with a line break would break the header
        body=render_template(f"mail/{template}", **context, **{name: placeholder(name) for name in secrets}),
        sealed_secrets=seal(SEALING_CONTEXT, json.dumps(secrets)) if secrets else None,
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


def retry_pause(attempts: int) -> timedelta:
    """5 minutes after the first failure, doubling, at most 6 hours."""
    return timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 360))


def _claim(conn, message_id: int) -> dict | None:
    """Take the message for one attempt, unless it was sent or another attempt holds it."""
    table = OutboxMessage.__table__
    now = utcnow()
    claimed = conn.execute(update(table).where(
        table.c.id == message_id, table.c.status != SENT, or_(table.c.retry_after.is_(None), table.c.retry_after < now),
    ).values(retry_after=now + timedelta(seconds=SENDING_SECONDS))).rowcount
    return conn.execute(select(table).where(table.c.id == message_id)).mappings().one() if claimed else None


def deliver(app, message_ids: list[int]) -> int:
    """Try to send the given messages; record the result of each. Returns how many went out.

    Works on the table, one short transaction per step, so that a failure of one message never
    hides the delivery of another and a message sent is recorded at once.
    """
    table = OutboxMessage.__table__
    sent = 0
    for message_id in message_ids:
        with db.engine.begin() as conn:
            row = _claim(conn, message_id)
        if row is None:
            continue
        values: dict = {"attempts": row["attempts"] + 1}
        body = body_to_send(row["body"], row["sealed_secrets"])
        try:
            if body is None:
                raise ValueError("il link personale non è più leggibile (SECRET_KEY cambiata): va richiesto di nuovo")
            if app.config["MAIL_BACKEND"] == "console":  # development only: config refuses it in production
                print(f"--- e-mail to {row['recipient']}: {row['subject']}\n{body}\n---")
            else:
                _smtp_send(app, row["recipient"], row["subject"], body, row["calendar"])
        except (OSError, ValueError, smtplib.SMTPException) as exc:
            app.logger.warning("E-mail %s to %s not sent: %s", row["id"], row["recipient"], exc)
            values.update(status=FAILED, last_error=str(exc)[:500], retry_after=utcnow() + retry_pause(values["attempts"]))
        else:
            values.update(status=SENT, sent_at=utcnow(), last_error=None, retry_after=None, sealed_secrets=None)
            app.logger.info("E-mail %s sent (attempt %s)", row["id"], values["attempts"])
            sent += 1
        with db.engine.begin() as conn:
            conn.execute(update(table).where(table.c.id == row["id"]).values(**values))
    return sent


@task("mail.deliver")
def deliver_messages(message_ids: list[int]) -> None:
    deliver(current_app._get_current_object(), message_ids)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    pending = session.info.pop("outbox", [])
    if pending:
        send_now(deliver_messages, [m.id for m in pending])


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox", None)


@periodic("mail.retry", "MAIL_RETRY_SECONDS")
def retry_due() -> None:
    """Failed messages whose pause is over, and queued ones no task picked up (lost with Redis)."""
    now = utcnow()
    due = db.session.scalars(select(OutboxMessage.id).where(
        or_(OutboxMessage.retry_after.is_(None), OutboxMessage.retry_after < now),
        or_(and_(OutboxMessage.status == FAILED, OutboxMessage.attempts < MAX_ATTEMPTS),
            and_(OutboxMessage.status == QUEUED, OutboxMessage.created_at < now - timedelta(seconds=SENDING_SECONDS))),
    ).order_by(OutboxMessage.id)).all()
    if due:
        deliver(current_app._get_current_object(), list(due))


def due_now() -> list[int]:
    """Every queued or failed message, the pause after a failure lifted: staff asked to send them now."""
    with db.engine.begin() as conn:
        conn.execute(update(OutboxMessage.__table__).where(OutboxMessage.__table__.c.status == FAILED).values(retry_after=None))
    return list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status.in_([QUEUED, FAILED]))))


def resend_now() -> int:
    """Hand every pending message to a worker (the outbox page's button); how many."""
    ids = due_now()
    if ids:
        dispatch(deliver_messages, ids)
        db.session.commit()
    return len(ids)


mail_cli = AppGroup("mail", help="Posta in uscita. Reinvia le e-mail in coda o rifiutate dal server SMTP.")


@mail_cli.command("retry")
def retry_command() -> None:
    """Invia subito ogni e-mail in coda o non consegnata (beat le riprova da solo, con pause)."""
    ids = due_now()
    sent = deliver(current_app._get_current_object(), ids)
    click.echo(f"{sent} di {len(ids)} e-mail inviate.")
