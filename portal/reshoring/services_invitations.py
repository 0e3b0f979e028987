"""Invitations to a session by e-mail: sent with the iCalendar event, answered through a personal link,
updated when the date or place change, cancelled when a party leaves, reminded before the day; the
draft minutes sent for comments and the approved minutes sent to all.

Each e-mail carries two personal links: the answer (attends, declines, delegates), which works
once and is replaced by the next e-mail, and the read-only view of the session for people
without an account (outside parties), the same in every e-mail so an older one keeps working:
it is derived from the secret key and the invitation, and dies with the invitation or its term.
Only their SHA-256 is stored. Security's `portal.tokens` is meant to hold these once it lands on
main; until then the two hashes live on the invitation itself.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.schedules import crontab
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import record
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import periodic
from portal.mail import queue_mail
from portal.reshoring.ics import CANCEL, REQUEST, invitation_calendar
from portal.reshoring.models import ANSWERS, DELEGATED, INVITED, Roundtable, RoundtableInvitation, RoundtableParty
from portal.rules import RuleError
from portal.urls import absolute_url

ACCESS_AFTER_SESSION = timedelta(days=180)  # the read-only link outlives the session: the minutes come later
REMIND_BEFORE = timedelta(days=2)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _answer_link(invitation: RoundtableInvitation) -> str:
    """A fresh answer link (the earlier one stops working)."""
    answer = secrets.token_urlsafe(32)
    invitation.answer_token_hash = _digest(answer)
    return absolute_url("reshoring.answer_invitation", token=answer)


def _access_link(invitation: RoundtableInvitation) -> str:
    """The person's reading link, valid until six months after the session (or after today, if later)."""
    db.session.flush()  # the invitation's id is part of the link
    key = current_app.config["SECRET_KEY"].encode()
    access = hmac.new(key, f"reshoring-access:{invitation.id}".encode(), hashlib.sha256).hexdigest()
    invitation.access_token_hash = _digest(access)
    invitation.access_expires_at = max(invitation.roundtable.starts_at, utcnow()) + ACCESS_AFTER_SESSION
    return absolute_url("reshoring.party_view", token=access)


def invitation_to_answer(raw: str) -> RoundtableInvitation | None:
    """The invitation whose answer link this is, while it can still be answered (unused, session not begun)."""
    invitation = db.session.scalar(select(RoundtableInvitation).where(RoundtableInvitation.answer_token_hash == _digest(raw)))
    if invitation is None or invitation.roundtable.is_past():
        return None
    return invitation


def invitation_by_access(raw: str, now: datetime | None = None) -> RoundtableInvitation | None:
    """The invitation whose read-only link this is, until it expires; None once the person no longer sits at the table."""
    invitation = db.session.scalar(select(RoundtableInvitation).where(RoundtableInvitation.access_token_hash == _digest(raw)))
    if invitation is None or invitation.access_expires_at is None or invitation.access_expires_at <= (now or utcnow()):
        return None
    return invitation


def _send(invitation: RoundtableInvitation, update: bool) -> None:
    roundtable = invitation.roundtable
    links = {"answer_url": _answer_link(invitation), "access_url": _access_link(invitation)}
    subject = (_("Tavolo «%(title)s»: cambiano data o luogo", title=roundtable.title) if update
               else _("Invito al tavolo «%(title)s»", title=roundtable.title))
    queue_mail(invitation.email, subject, "reshoring/invitation.txt", calendar=invitation_calendar(roundtable, invitation, REQUEST),
               secrets=links, roundtable=roundtable, invitation=invitation, update=update)
    invitation.sent_sequence, invitation.sent_at = roundtable.sequence, utcnow()


@dataclass(frozen=True)
class Sent:
    invited: int
    updated: int


def _send_updates(roundtable: Roundtable) -> int:
    """Who had an older date or place gets the update, and is asked to answer again (iTIP: the attendee's status resets)."""
    stale = [i for i in roundtable.invitations
             if i.sent_sequence is not None and i.sent_sequence < roundtable.sequence and i.status != DELEGATED]
    for invitation in stale:
        invitation.status, invitation.answered_at, invitation.reminded_at = INVITED, None, None
        _send(invitation, update=True)
    return len(stale)


def _invite_everyone(roundtable: Roundtable) -> Sent:
    """Send the updates, then invite every active contact of every party not yet invited."""
    updated = _send_updates(roundtable)
    invited_emails = {i.email.lower() for i in roundtable.invitations}
    new = []
    with db.session.no_autoflush:  # reading the next party's contacts must not flush a half-made invitation
        for party in roundtable.parties:
            for contact in party.organisation.active_contacts:
                if contact.email.lower() not in invited_emails:
                    invited_emails.add(contact.email.lower())
                    new.append(RoundtableInvitation(roundtable=roundtable, party=party, contact_id=contact.id,
                                                    name=contact.name, email=contact.email))
    db.session.add_all(new)
    for invitation in new:
        _send(invitation, update=False)
    return Sent(len(new), updated)


def send_invitations(roundtable: Roundtable, user) -> Sent:
    """Staff send the invitations: to the contacts not yet invited, and the update to those who had an older date or place."""
    if roundtable.is_past():
        raise RuleError(_("La seduta è già iniziata: gli inviti non si inviano più."))
    if not any(p.organisation.active_contacts for p in roundtable.parties):
        raise RuleError(_("Nessuna parte ha un contatto con indirizzo e-mail: aggiungi i contatti alle organizzazioni."))
    sent = _invite_everyone(roundtable)
    if not sent.invited and not sent.updated:
        raise RuleError(_("Tutte le persone delle parti hanno già ricevuto l'invito aggiornato."))
    record("roundtable.invitations_sent", roundtable, {"invited": sent.invited, "updated": sent.updated}, actor=user)
    db.session.commit()
    return sent


def _cancel_for(party: RoundtableParty) -> None:
    """Within the caller's transaction: who was invited for a party that leaves the table gets the cancellation."""
    for invitation in party.invitations:
        if invitation.sent_at is not None and invitation.status != DELEGATED:
            queue_mail(invitation.email, _("Tavolo «%(title)s»: invito annullato", title=party.roundtable.title),
                       "reshoring/invitation_cancelled.txt", calendar=invitation_calendar(party.roundtable, invitation, CANCEL),
                       roundtable=party.roundtable, invitation=invitation)


def answer_invitation(invitation: RoundtableInvitation, answer: str, note: str, delegate_name: str = "",
                      delegate_email: str = "") -> RoundtableInvitation | None:
    """The person's answer through the link (which then stops working); a delegate is invited in their place."""
    if answer not in ANSWERS:
        raise RuleError(_("Scegli una risposta."))
    delegate = None
    if answer == DELEGATED:
        delegate_email = delegate_email.strip()
        if not delegate_name.strip() or not delegate_email:
            raise RuleError(_("Indica nome e indirizzo e-mail della persona che delegate."))
        if any(i.email.lower() == delegate_email.lower() for i in invitation.roundtable.invitations):
            raise RuleError(_("%(email)s è già invitato a questa seduta.", email=delegate_email))
        delegate = RoundtableInvitation(roundtable=invitation.roundtable, party=invitation.party, name=delegate_name.strip(),
                                        email=delegate_email, delegated_from=invitation)
        db.session.add(delegate)
    invitation.status, invitation.note, invitation.answered_at = answer, note.strip(), utcnow()
    invitation.answer_token_hash = None  # the link works once
    record("roundtable.rsvp", invitation.roundtable,
           {"person": invitation.name, "party": invitation.party.name, "answer": answer, "delegate": delegate_email or None})
    if delegate is not None:
        _send(delegate, update=False)
    db.session.commit()
    return delegate


def send_reminders(now: datetime | None = None) -> int:
    """Remind who is still expected at a session that begins within two days (once); returns how many were sent."""
    now = now or utcnow()
    due = db.session.scalars(
        select(RoundtableInvitation).join(Roundtable)
        .where(Roundtable.starts_at > now, Roundtable.starts_at <= now + REMIND_BEFORE,
               RoundtableInvitation.sent_at.is_not(None), RoundtableInvitation.reminded_at.is_(None))
    ).all()
    due = [i for i in due if i.is_current]
    for invitation in due:
        queue_mail(invitation.email, _("Promemoria: tavolo «%(title)s»", title=invitation.roundtable.title),
                   "reshoring/invitation_reminder.txt", roundtable=invitation.roundtable, invitation=invitation,
                   secrets={"access_url": _access_link(invitation)}
                   | ({"answer_url": _answer_link(invitation)} if invitation.status == INVITED else {}))
        invitation.reminded_at = now
    db.session.commit()
    return len(due)


@periodic("reshoring.remind", crontab(minute=5))
def remind_every_hour() -> None:
    """Celery beat sends the reminders each hour (`flask reshoring remind` does it by hand)."""
    send_reminders()


def _people_to_inform(roundtable: Roundtable) -> list[RoundtableInvitation]:
    """Everyone invited for a party still at the table, except who handed over to a delegate."""
    return [i for i in roundtable.invitations if i.sent_at is not None and i.status != DELEGATED]


def _send_minutes(roundtable: Roundtable, approved: bool) -> None:
    """Within the caller's transaction: the draft (for comments) or the approved minutes, to every invited person."""
    subject = (_("Tavolo «%(title)s»: verbale approvato", title=roundtable.title) if approved
               else _("Tavolo «%(title)s»: bozza del verbale per le vostre osservazioni", title=roundtable.title))
    for invitation in _people_to_inform(roundtable):
        queue_mail(invitation.email, subject, "reshoring/minutes.txt", roundtable=roundtable, invitation=invitation,
                   approved=approved, secrets={"access_url": _access_link(invitation)})
