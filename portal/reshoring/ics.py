"""Roundtable sessions as iCalendar: the staff's calendar files, and the invitations' events.

An invitation carries METHOD:REQUEST with the association as ORGANIZER and the invitee as
ATTENDEE, so a mail client shows it as a meeting to accept; a change of date or place is sent
again with a higher SEQUENCE (the same UID), and a withdrawn invitation as METHOD:CANCEL
(RFC 5545 and RFC 5546, iTIP).
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress

from portal.database import utcnow

DEFAULT_LENGTH = timedelta(hours=2)
REQUEST, CANCEL = "REQUEST", "CANCEL"
PARTSTAT = {"invitato": "NEEDS-ACTION", "partecipa": "ACCEPTED", "non_partecipa": "DECLINED", "delegato": "DELEGATED"}


def _utc(moment: datetime) -> datetime:
    """The portal stores UTC without a zone; written without one, a calendar would read it as local time."""
    return moment.replace(tzinfo=UTC)


def uid(roundtable) -> str:
    return f"tavolo-{roundtable.id}@assocontact.it"


def roundtable_event(roundtable) -> Event:
    event = Event()
    event.add("uid", uid(roundtable))
    event.add("sequence", roundtable.sequence)
    event.add("dtstamp", _utc(utcnow()))
    event.add("dtstart", _utc(roundtable.starts_at))
    event.add("dtend", _utc(roundtable.ends_at or roundtable.starts_at + DEFAULT_LENGTH))
    event.add("summary", roundtable.title)
    event.add("location", roundtable.place or roundtable.link)
    agenda = "\n".join(f"{n}. {item.label}" for n, item in enumerate(roundtable.items, start=1))
    description = "\n\n".join(part for part in (
        _("Convocato da: %(body)s", body=roundtable.convening_body), roundtable.link, roundtable.description,
        _("Ordine del giorno:") + "\n" + agenda if agenda else "",
    ) if part)
    event.add("description", description)
    if roundtable.link:
        event.add("url", roundtable.link)
    return event


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Assocontact//Portale//IT")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def roundtable_calendar(roundtables) -> bytes:
    """The sessions as a calendar file to import (no scheduling method: nobody is asked to answer)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", _("Tavoli Assocontact"))
    for roundtable in roundtables:
        calendar.add_component(roundtable_event(roundtable))
    return calendar.to_ical()


def organizer() -> vCalAddress:
    """The association, from the portal's sender address (MAIL_SENDER)."""
    name, address = parseaddr(current_app.config["MAIL_SENDER"])
    person = vCalAddress(f"mailto:{address}")
    person.params["cn"] = name or "Assocontact"
    return person


def attendee(invitation) -> vCalAddress:
    person = vCalAddress(f"mailto:{invitation.email}")
    person.params["cn"] = invitation.name
    person.params["role"] = "REQ-PARTICIPANT"
    person.params["partstat"] = PARTSTAT[invitation.status]
    person.params["rsvp"] = "TRUE" if invitation.status == "invitato" else "FALSE"
    if invitation.delegated_from is not None:
        person.params["delegated-from"] = f"mailto:{invitation.delegated_from.email}"
    return person


def invitation_calendar(roundtable, invitation, method: str = REQUEST) -> bytes:
    """The event as one invitee receives it: to accept (REQUEST) or to remove from the calendar (CANCEL)."""
    calendar = _calendar(method)
    event = roundtable_event(roundtable)
    event.add("organizer", organizer())
    event.add("attendee", attendee(invitation))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
