"""Scheme editions: draft a new edition by copying the current one, edit it, publish it.

A published edition is frozen: every editing function refuses to touch it, whatever the page
or request that calls it. So is a draft while its consultation is announced or open (the same
draft for every party) and once its report is out. Between closing and report, each change may
name the comments it answers (`consultation.tracing`). Applications stay on the edition they
were opened on.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import diff, record
from portal.certification.consultation import tracing
from portal.certification.consultation.models import Phase
from portal.certification.models import Area, Edition, EditionStatus, Parameter, ParameterKind
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import User
from portal.rules import RuleError

RULE_FIELDS = ["code", "title", "notes", "illustrative", "scale_max", "grant_threshold", "distinction_threshold", "mandatory_min_score"]
AREA_FIELDS = ["code", "title", "weight"]
PARAMETER_FIELDS = ["code", "question", "help", "kind", "unit", "target", "direction", "choices",
                    "evidence_required", "weight", "mandatory", "key_figure", "linked_check", "channel"]


def current_edition() -> Edition | None:
    """The newest published edition: new applications open on it."""
    return db.session.scalar(
        select(Edition).where(Edition.status == EditionStatus.PUBLISHED).order_by(Edition.published_at.desc(), Edition.id.desc()).limit(1)
    )


def open_draft() -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.status == EditionStatus.DRAFT).limit(1))


def lock_reason(edition: Edition) -> str | None:
    """Why the edition cannot be edited now, or None."""
    if edition.is_frozen:
        return _("L'edizione %(code)s è pubblicata e non si può più modificare: crea una nuova bozza.", code=edition.code)
    consultation = edition.consultation
    if consultation is None or not consultation.locks_draft():
        return None
    if consultation.current_phase == Phase.REPORTED:
        return _("Il rapporto della consultazione è pubblicato: la bozza %(code)s resta quella del rapporto; pubblicala.",
                 code=edition.code)
    return _("La bozza %(code)s è in consultazione fino al %(d)s: resta uguale per tutte le parti finché la consultazione "
             "non si chiude.", code=edition.code, d=consultation.closes_on.strftime("%d/%m/%Y"))


def ensure_draft(edition: Edition) -> None:
    reason = lock_reason(edition)
    if reason:
        raise RuleError(reason)


def copy_edition(source: Edition, user: User) -> Edition:
    if open_draft() is not None:
        raise RuleError(_("Esiste già una bozza: completala o pubblicala prima di crearne un'altra."))
    code = f"{source.code}{Edition.DRAFT_SUFFIX}"
    draft = Edition(code=code, title=f"{source.title} (nuova edizione)", status=EditionStatus.DRAFT,
                    copied_from_id=source.id, **{f: getattr(source, f) for f in RULE_FIELDS if f not in ("code", "title")})
    for area in source.areas:
        copy = Area(code=area.code, title=area.title, weight=area.weight, position=area.position)
        for p in area.parameters:
            copy.parameters.append(Parameter(position=p.position, copied_from_id=p.id, **{f: getattr(p, f) for f in PARAMETER_FIELDS}))
        draft.areas.append(copy)
    db.session.add(draft)
    record("bollino.edition.copy", draft, {"from": source.code}, actor=user)
    db.session.commit()
    return draft


def _unique_code(edition: Edition, code: str) -> None:
    clash = db.session.scalar(select(Edition.id).where(Edition.code == code, Edition.id != edition.id))
    if clash:
        raise RuleError(_("Esiste già un'edizione con il codice %(code)s.", code=code))


def update_rules(edition: Edition, data: dict, user: User) -> None:
    ensure_draft(edition)
    values = {f: data[f] for f in RULE_FIELDS if f in data}
    _unique_code(edition, values.get("code", edition.code))
    if values["distinction_threshold"] < values["grant_threshold"]:
        raise RuleError(_("La soglia per la distinzione non può essere inferiore a quella di concessione."))
    if values["mandatory_min_score"] > values["scale_max"]:
        raise RuleError(_("Il punteggio minimo dei parametri obbligatori non può superare il massimo della scala."))
    changes = diff(edition, RULE_FIELDS, values)
    for field, value in values.items():
        setattr(edition, field, value)
    record("bollino.edition.update", edition, changes, actor=user)
    tracing.trace(edition, "", changes, data.get("comments"), user)
    db.session.commit()


def save_area(edition: Edition, area: Area | None, data: dict, user: User) -> Area:
    ensure_draft(edition)
    values = {f: data[f] for f in AREA_FIELDS}
    values["code"] = values["code"].strip().upper()
    if any(a.code == values["code"] and a is not area for a in edition.areas):
        raise RuleError(_("Esiste già un'area con il codice %(code)s.", code=values["code"]))
    if area is None:
        area = Area(position=len(edition.areas), **values)
        edition.areas.append(area)
        changes = {"created": values["code"]}
        record("bollino.area.create", edition, {"area": values}, actor=user)
    else:
        changes = diff(area, AREA_FIELDS, values)
        record("bollino.area.update", edition, {"area": area.code, **changes}, actor=user)
        for field, value in values.items():
            setattr(area, field, value)
    tracing.trace(edition, values["code"], changes, data.get("comments"), user)
    db.session.commit()
    return area


def delete_area(area: Area, user: User) -> None:
    ensure_draft(area.edition)
    record("bollino.area.delete", area.edition, {"area": area.code}, actor=user)
    tracing.trace(area.edition, area.code, {"deleted": area.code}, [], user)
    db.session.delete(area)
    db.session.commit()


def _clean_parameter(data: dict) -> dict:
    values = {f: data.get(f) for f in PARAMETER_FIELDS}
    values["code"] = values["code"].strip().upper()
    values["unit"] = (values["unit"] or "").strip()
    values["help"] = values["help"] or ""
    values["linked_check"] = values["linked_check"] or ""
    values["channel"] = values["channel"] or None
    choices = values["choices"]
    values["choices"] = [c.strip() for c in (choices.splitlines() if isinstance(choices, str) else choices or []) if c.strip()]
    kind = ParameterKind(values["kind"])
    if kind == ParameterKind.NUMBER:
        if values["target"] is None or not values["direction"]:
            raise RuleError(_("Un parametro numerico ha bisogno di un obiettivo e di una direzione."))
    else:
        values["target"], values["direction"], values["unit"] = None, None, ""
    if kind == ParameterKind.CHOICE and len(values["choices"]) < 2:
        raise RuleError(_("Una scelta singola ha bisogno di almeno due opzioni, una per riga."))
    if kind != ParameterKind.CHOICE:
        values["choices"] = []
    values["direction"] = values["direction"] or None
    return values


def save_parameter(area: Area, parameter: Parameter | None, data: dict, user: User) -> Parameter:
    ensure_draft(area.edition)
    values = _clean_parameter(data)
    if any(p.code == values["code"] and p is not parameter for p in area.edition.parameters):
        raise RuleError(_("Esiste già un parametro con il codice %(code)s in questa edizione.", code=values["code"]))
    if parameter is None:
        parameter = Parameter(position=len(area.parameters), **values)
        area.parameters.append(parameter)
        changes = {"created": values["code"]}
        record("bollino.parameter.create", area.edition, {"parameter": values}, actor=user)
    else:
        changes = diff(parameter, PARAMETER_FIELDS, values)
        record("bollino.parameter.update", area.edition, {"parameter": parameter.code, **changes}, actor=user)
        for field, value in values.items():
            setattr(parameter, field, value)
    tracing.trace(area.edition, values["code"], changes, data.get("comments"), user)
    db.session.commit()
    return parameter


def delete_parameter(parameter: Parameter, user: User) -> None:
    ensure_draft(parameter.area.edition)
    record("bollino.parameter.delete", parameter.area.edition, {"parameter": parameter.code}, actor=user)
    tracing.trace(parameter.area.edition, parameter.code, {"deleted": parameter.code}, [], user)
    db.session.delete(parameter)
    db.session.commit()


def publication_problems(edition: Edition) -> list[str]:
    problems = []
    if not edition.areas:
        problems.append(_("L'edizione non ha aree."))
    for area in edition.areas:
        if area.weight <= 0:
            problems.append(_("L'area %(code)s ha peso zero.", code=area.code))
        if not area.parameters:
            problems.append(_("L'area %(code)s non ha parametri.", code=area.code))
    if edition.has_provisional_code:
        problems.append(_("Dai all'edizione un codice definitivo (ad esempio 2027)."))
    consultation = edition.consultation
    if consultation is not None and consultation.current_phase != Phase.REPORTED:
        problems.append(_("La consultazione sulla bozza non ha ancora il suo rapporto: rispondi a ogni commento e pubblica il rapporto."))
    return problems


def publish(edition: Edition, user: User, waiver: str = "") -> None:
    """Freeze the edition. The sector is consulted before an edition is frozen: without a
    reported consultation, staff must say why it was skipped (shown on the public page)."""
    if edition.is_frozen:
        raise RuleError(lock_reason(edition))
    problems = publication_problems(edition)
    if problems:
        raise RuleError(_("L'edizione non si può pubblicare: %(p)s", p=" ".join(problems)))
    waiver = (waiver or "").strip()
    if edition.consultation is None and not waiver:
        raise RuleError(_("La bozza non è stata sottoposta a consultazione: apri una consultazione, oppure scrivi perché "
                          "la pubblichi senza (il motivo sarà pubblico)."))
    edition.consultation_waiver = waiver if edition.consultation is None else ""
    edition.status = EditionStatus.PUBLISHED
    edition.published_at = utcnow()
    record("bollino.edition.publish", edition, {"code": edition.code, "waiver": edition.consultation_waiver}, actor=user)
    db.session.commit()
