"""Reading a company's answer to a parameter, and what is still missing before submission."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from portal.certification.models import Application, Area, EvidenceLink, Parameter, ParameterKind
from portal.extensions import db

MAX_TEXT = 5000


def parse_value(parameter: Parameter, raw: str) -> str:
    """The answer as stored (plain text), or ValueError with a message for the field."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if parameter.kind == ParameterKind.YES_NO:
        if raw not in ("yes", "no"):
            raise ValueError(_("Scegli sì o no."))
        return raw
    if parameter.kind == ParameterKind.NUMBER:
        try:
            number = Decimal(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
        except InvalidOperation:
            raise ValueError(_("Scrivi un numero, ad esempio 82,5.")) from None
        if not number.is_finite() or number < 0:
            raise ValueError(_("Il valore non può essere negativo."))
        if parameter.unit == "%" and number > 100:
            raise ValueError(_("Una percentuale non può superare 100."))
        if number >= Decimal("1e9"):
            raise ValueError(_("Il valore è troppo grande."))
        return format(number.normalize(), "f")
    if parameter.kind == ParameterKind.CHOICE:
        if raw not in parameter.choices:
            raise ValueError(_("Scegli una delle opzioni proposte."))
        return raw
    if len(raw) > MAX_TEXT:
        raise ValueError(_("Il testo supera %(n)s caratteri.", n=MAX_TEXT))
    return raw


def parse_date(raw: str) -> date | None:
    """An ISO date from a date input, or ValueError with a message for the field."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("Data non valida: usa il formato gg/mm/aaaa.")) from None


def needs_answer(parameter: Parameter) -> bool:
    """Every closed question must be answered; a free text only when the parameter is mandatory."""
    return parameter.kind != ParameterKind.TEXT or parameter.mandatory


@dataclass
class AreaProgress:
    area: Area
    answered: int = 0
    required: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.answered / self.required)

    @property
    def complete(self) -> bool:
        return not self.missing


def progress(application: Application, on: date | None = None) -> list[AreaProgress]:
    """Per area: what is answered and, in plain words, what is missing (answers and evidence)."""
    answers = {a.parameter_id: a for a in application.answers}
    evidence = evidence_by_parameter(application)
    channels = application.channels
    result = []
    for area in application.edition.areas:
        item = AreaProgress(area)
        for parameter in area.parameters:
            if not application.applies(parameter, channels):
                continue
            answer = answers.get(parameter.id)
            if needs_answer(parameter):
                item.required += 1
                if answer is not None and answer.value:
                    item.answered += 1
                else:
                    item.missing.append(_("%(code)s: manca la risposta", code=parameter.code))
            if parameter.evidence_required:
                item.required += 1
                valid = [e for e in evidence.get(parameter.id, []) if e.is_valid(on)]
                if valid:
                    item.answered += 1
                elif evidence.get(parameter.id):
                    item.missing.append(_("%(code)s: la prova allegata è scaduta, caricane una valida", code=parameter.code))
                else:
                    item.missing.append(_("%(code)s: manca la prova documentale", code=parameter.code))
        result.append(item)
    return result


def evidence_by_parameter(application: Application) -> dict:
    """Evidence linked to the application, by parameter id, in upload order."""
    links = db.session.scalars(
        select(EvidenceLink).where(EvidenceLink.application_id == application.id).order_by(EvidenceLink.id)
    )
    grouped: dict[int, list] = {}
    for link in links:
        grouped.setdefault(link.parameter_id, []).append(link.evidence)
    return grouped


def missing(application: Application) -> list[str]:
    return [m for item in progress(application) for m in item.missing]
