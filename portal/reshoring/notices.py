"""Art. 24-bis DL 83/2012: notice of work moved abroad, as plain functions.

A call center that moves activity outside Italy must tell four recipients at least 30 days
before the activity starts. A notice sent exactly 30 days before the start is on time; one
sent later is late; a recipient with no date is missing. The messages are written for the
company that has to fix them; `portal.reshoring.stats.company_notice_status()` is what the
Bollino Blu auditor sees beside the 24-bis knock-out parameter.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.geography import country_name

NOTICE_DAYS = 30

# key, the recipient's name, and "to <recipient>" as an Italian sentence needs it.
RECIPIENTS = (
    ("lavoro", _l("Ministero del Lavoro"), _l("al Ministero del Lavoro")),
    ("inl", _l("Ispettorato Nazionale del Lavoro (INL)"), _l("all'Ispettorato Nazionale del Lavoro (INL)")),
    ("mimit", _l("Ministero delle Imprese e del Made in Italy (MIMIT, ex MISE)"), _l("al MIMIT (ex MISE)")),
    ("garante", _l("Garante per la protezione dei dati personali"), _l("al Garante per la protezione dei dati personali")),
)
RECIPIENT_KEYS = tuple(key for key, _name, _to in RECIPIENTS)

MISSING, LATE = "missing", "late"


@dataclass(frozen=True)
class NoticeProblem:
    recipient: str
    kind: str  # MISSING or LATE
    message: str


def deadline(start: date) -> date:
    """The last day a notice may be sent for an activity starting on `start`."""
    return start - timedelta(days=NOTICE_DAYS)


def is_on_time(sent: date, start: date) -> bool:
    return sent <= deadline(start)


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def notice_problems(start: date, sent: dict[str, date | None], today: date) -> list[NoticeProblem]:
    """What is wrong with the notices of one activity abroad, one problem per recipient."""
    problems = []
    last_day = deadline(start)
    for key, _name, to in RECIPIENTS:
        day = sent.get(key)
        if day is None:
            if today <= last_day:
                message = _("manca la comunicazione %(to)s: va inviata entro il %(date)s", to=to, date=_fmt(last_day))
            else:
                message = _("manca la comunicazione %(to)s (andava inviata entro il %(date)s)", to=to, date=_fmt(last_day))
            problems.append(NoticeProblem(key, MISSING, message))
        elif not is_on_time(day, start):
            days_before = (start - day).days
            if days_before <= 0:
                message = _("la comunicazione %(to)s è stata inviata il %(date)s, dopo l'avvio dell'attività (serviva almeno %(n)s giorni prima)",
                            to=to, date=_fmt(day), n=NOTICE_DAYS)
            else:
                message = _("la comunicazione %(to)s è in ritardo: inviata il %(date)s, solo %(days)s giorni prima dell'avvio (ne servono almeno %(n)s)",
                            to=to, date=_fmt(day), days=days_before, n=NOTICE_DAYS)
            problems.append(NoticeProblem(key, LATE, message))
    return problems


def activity_label(country: str, place: str) -> str:
    """`Attività in Albania (Tirana)`: how a message names the activity."""
    where = country_name(country)
    return _("Attività in %(country)s (%(place)s)", country=where, place=place) if place else _("Attività in %(country)s", country=where)
