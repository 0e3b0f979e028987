"""Roundtable sessions as an iCalendar file, for the staff's calendars."""

from datetime import timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event

from portal.database import utcnow

DEFAULT_LENGTH = timedelta(hours=2)


def roundtable_event(roundtable) -> Event:
    event = Event()
    event.add("uid", f"tavolo-{roundtable.id}@assocontact.it")
    event.add("dtstamp", utcnow())
    event.add("dtstart", roundtable.starts_at)
    event.add("dtend", roundtable.ends_at or roundtable.starts_at + DEFAULT_LENGTH)
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


def roundtable_calendar(roundtables) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Assocontact//Portale//IT")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Tavoli Assocontact"))
    for roundtable in roundtables:
        calendar.add_component(roundtable_event(roundtable))
    return calendar.to_ical()
