"""Art. 24-bis DL 83/2012, whole: what a call center owes for the work it runs abroad.

Plain functions over plain values (an activity and the company's profile are read through their
attributes), so each obligation is tested with hand-made cases. For each activity abroad:
- the 30-day notice to the four recipients (`portal.reshoring.notices`);
- callers are told in which country the operator is;
- outside the EU, callers can ask for an operator in Italy or in the EU;
- the client is named: client and contractor are jointly liable.
For the company as a whole: its size (the obligations bind call centers with 20 or more
employees) and its registration in the ROC. An activity that has ended owes nothing more: it is
never reported as pending. Each finding says plainly what is missing and the sanction the law
sets (`portal.legal.ART_24_BIS`).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from portal.reshoring.notices import MISSING, notice_problems

UNDECLARED = "undeclared"
THRESHOLD = 20  # employees: smaller call centers are outside art. 24-bis

# Member states of the European Union (ISO 3166 alpha-2): an operator there already serves the
# caller from the EU.
EU = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
                "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})


@dataclass(frozen=True)
class Finding:
    obligation: str  # notice_<recipient>, callers_country, italy_eu_choice, client, employees, roc
    kind: str  # notices.MISSING, notices.LATE or UNDECLARED
    message: str
    sanction: str  # what the law sets; "" when it sets nothing for it


@dataclass(frozen=True)
class Assessment:
    """The obligations of one activity: whether they apply, whether it has ended, what is missing."""

    applies: bool
    ended: bool
    findings: tuple[Finding, ...]

    @property
    def pending(self) -> bool:
        return bool(self.findings)


def notice_sanction() -> str:
    return _("sanzione di circa 150.000 euro per ogni comunicazione mancata o tardiva")


def callers_sanction() -> str:
    return _("sanzione fino a circa 50.000 euro per ogni giorno di violazione")


def roc_sanction() -> str:
    return _("sanzione di circa 50.000 euro")


def joint_liability() -> str:
    return _("committente e fornitore rispondono in solido")


def company_findings(profile) -> list[Finding]:
    """What the company as a whole owes: `profile` has `employees` (int or None) and `roc_number`; None if never filled in."""
    findings = []
    employees = getattr(profile, "employees", None)
    if employees is None:
        findings.append(Finding("employees", UNDECLARED, _(
            "Indica il numero di dipendenti dell'azienda: gli obblighi dell'art. 24-bis valgono per i call center con almeno "
            "%(n)s dipendenti, e finché non lo indichi il portale li controlla tutti.", n=THRESHOLD), ""))
    elif employees < THRESHOLD:
        return []
    if not (getattr(profile, "roc_number", "") or "").strip():
        findings.append(Finding("roc", MISSING, _(
            "L'azienda non risulta iscritta al Registro degli operatori di comunicazione (ROC): chi svolge attività di call "
            "center deve esserlo. Indica il numero di iscrizione."), roc_sanction()))
    return findings


def applies_to(profile) -> bool:
    """Whether the company is within art. 24-bis: 20 employees or more, or a size it has not declared."""
    employees = getattr(profile, "employees", None)
    return employees is None or employees >= THRESHOLD


def _notice_findings(activity, today: date) -> list[Finding]:
    return [Finding(f"notice_{p.recipient}", p.kind, p.message, notice_sanction())
            for p in notice_problems(activity.start_date, activity.notices_sent, today)]


def _callers_findings(activity) -> list[Finding]:
    findings = []
    if activity.informs_callers is None:
        findings.append(Finding("callers_country", UNDECLARED, _(
            "Indica se chi chiama viene informato del Paese in cui si trova l'operatore: è obbligatorio."), callers_sanction()))
    elif not activity.informs_callers:
        findings.append(Finding("callers_country", MISSING, _(
            "Chi chiama non viene informato del Paese in cui si trova l'operatore: va detto all'inizio di ogni chiamata."),
            callers_sanction()))
    if activity.country not in EU:
        if activity.offers_italy_eu is None:
            findings.append(Finding("italy_eu_choice", UNDECLARED, _(
                "Indica se chi chiama può chiedere un operatore in Italia o nell'Unione europea: fuori dall'UE è obbligatorio."),
                callers_sanction()))
        elif not activity.offers_italy_eu:
            findings.append(Finding("italy_eu_choice", MISSING, _(
                "Chi chiama non può chiedere un operatore in Italia o nell'Unione europea: fuori dall'UE deve poterlo fare."),
                callers_sanction()))
    return findings


def _client_findings(activity) -> list[Finding]:
    if (activity.client_name or "").strip():
        return []
    return [Finding("client", MISSING, _(
        "Indica il committente per cui si svolge l'attività: committente e fornitore rispondono in solido delle violazioni."),
        joint_liability())]


def assess(activity, profile, today: date) -> Assessment:
    """The obligations of one activity abroad on `today`.

    `activity` has `start_date`, `end_date`, `country`, `notices_sent`, `client_name`,
    `informs_callers` and `offers_italy_eu`; `profile` is the company's (or None).
    """
    ended = activity.end_date is not None and activity.end_date < today
    if ended or not applies_to(profile):
        return Assessment(applies=applies_to(profile), ended=ended, findings=())
    findings = _notice_findings(activity, today) + _callers_findings(activity) + _client_findings(activity)
    return Assessment(applies=True, ended=False, findings=tuple(findings))

