"""From one edition of the scheme to the next: which old parameter each new one succeeds, and
whether the old answer still applies ("riporta, da confermare") or must be given anew.

Staff define it when they publish an edition that has a predecessor (`define`); a renewal or a
surveillance under a newer edition carries over what still applies and flags the rest
(`carried_answers`, `mapping`). Editions several steps apart compose their crosswalks.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import record
from portal.certification.models import Application, CrosswalkEntry, Edition, EditionStatus, Parameter
from portal.extensions import db
from portal.members.models import User
from portal.rules import RuleError

# What a carried answer must share with its source for the default to be "carry over".
SAME_MEANING = ("kind", "unit", "choices", "direction")


@dataclass(frozen=True)
class Row:
    parameter: Parameter  # of the newer edition
    source: Parameter | None  # of the edition before it
    carry: bool


def predecessor(edition: Edition) -> Edition | None:
    """The published edition this one follows: the one staff published last before it."""
    query = select(Edition).where(Edition.status == EditionStatus.PUBLISHED, Edition.id != edition.id)
    if edition.published_at is not None:
        query = query.where(Edition.published_at < edition.published_at)
    return db.session.scalar(query.order_by(Edition.published_at.desc(), Edition.id.desc()).limit(1))


def _entries(edition: Edition) -> dict[int, CrosswalkEntry]:
    return {e.parameter_id: e for e in db.session.scalars(select(CrosswalkEntry).where(CrosswalkEntry.edition_id == edition.id))}


def _default_source(parameter: Parameter, previous: Edition) -> Parameter | None:
    lineage = getattr(parameter, "copied_from", None)  # scheme's lineage, when the draft was copied
    if lineage is not None and lineage.area.edition_id == previous.id:
        return lineage
    return next((p for p in previous.parameters if p.code == parameter.code), None)


def _same_meaning(parameter: Parameter, source: Parameter) -> bool:
    return all(getattr(parameter, f) == getattr(source, f) for f in SAME_MEANING)


def rows(edition: Edition) -> list[Row]:
    """The crosswalk as staff defined it, or the proposal they start from."""
    previous = predecessor(edition)
    if previous is None:
        return []
    entries = _entries(edition)
    by_id = {p.id: p for p in previous.parameters}
    result = []
    for parameter in edition.parameters:
        entry = entries.get(parameter.id)
        if entry is not None:
            result.append(Row(parameter, by_id.get(entry.source_parameter_id), entry.carry))
        else:
            source = _default_source(parameter, previous)
            result.append(Row(parameter, source, source is not None and _same_meaning(parameter, source)))
    return result


def is_defined(edition: Edition) -> bool:
    previous = predecessor(edition)
    return previous is None or set(_entries(edition)) >= {p.id for p in edition.parameters}


def problems(edition: Edition) -> list[str]:
    """For the publication check list: a newer edition needs its crosswalk."""
    previous = predecessor(edition)
    if previous is None or is_defined(edition):
        return []
    return [_("Definisci la corrispondenza dei parametri con l'edizione %(code)s: che cosa si riporta nei rinnovi e "
              "nelle sorveglianze e che cosa va risposto di nuovo.", code=previous.code)]


def define(edition: Edition, choices: dict[int, tuple[int | None, bool]], user: User) -> None:
    """Save the crosswalk: for each parameter of the edition, its source in the predecessor and whether it carries."""
    if edition.is_frozen:
        raise RuleError(_("L'edizione è pubblicata: la corrispondenza non si può più cambiare."))
    previous = predecessor(edition)
    if previous is None:
        raise RuleError(_("Non c'è un'edizione precedente pubblicata: la corrispondenza non serve."))
    sources = {p.id for p in previous.parameters}
    entries = _entries(edition)
    saved = {}
    for parameter in edition.parameters:
        source_id, carry = choices.get(parameter.id, (None, False))
        if source_id is not None and source_id not in sources:
            raise RuleError(_("%(code)s: scegli un parametro dell'edizione %(prev)s.", code=parameter.code, prev=previous.code))
        entry = entries.get(parameter.id) or CrosswalkEntry(edition_id=edition.id, parameter_id=parameter.id)
        entry.source_parameter_id, entry.carry = source_id, bool(carry and source_id is not None)
        entry.defined_by_id = user.id
        db.session.add(entry)
        saved[parameter.code] = [source_id, entry.carry]
    record("bollino.crosswalk.define", edition, {"previous": previous.code, "entries": saved}, actor=user)
    db.session.commit()


def mapping(old: Edition, new: Edition) -> dict[int, tuple[Parameter | None, bool]]:
    """New parameter id -> (the old edition's parameter it succeeds or None, whether its answer carries)."""
    if old.id == new.id:
        return {p.id: (p, True) for p in new.parameters}
    chain = [new]
    while chain[-1].id != old.id:
        previous = predecessor(chain[-1])
        if previous is None:  # not on the same line of editions: nothing carries
            return {p.id: (None, False) for p in new.parameters}
        chain.append(previous)
    result = {p.id: (p, True) for p in new.parameters}
    for step in chain[:-1]:  # newest first
        links = {row.parameter.id: row for row in rows(step)}
        for pid, (current, carry) in result.items():
            row = links.get(current.id) if current is not None else None
            result[pid] = (row.source, carry and row.carry) if row is not None else (None, False)
    return result


def carried_answers(previous: Application, edition: Edition) -> dict[str, str]:
    """The previous application's answers that still apply, by the parameter codes of `edition`."""
    links = mapping(previous.edition, edition)
    by_parameter = {a.parameter_id: a for a in previous.answers}
    carried = {}
    for parameter in edition.parameters:
        source, carry = links.get(parameter.id, (None, False))
        answer = by_parameter.get(source.id) if carry and source is not None else None
        if answer is not None and answer.value:
            carried[parameter.code] = answer.value
    return carried


def answered_anew(application: Application) -> set[int]:
    """In a renewal on a newer edition: the parameters whose old answer does not carry over (new or changed)."""
    previous = application.renewal_of.application if application.renewal_of is not None else None
    if previous is None or previous.edition_id == application.edition_id:
        return set()
    return {pid for pid, (_source, carry) in mapping(previous.edition, application.edition).items() if not carry}
