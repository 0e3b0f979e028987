"""Scheme editions: draft a new edition by copying the current one, edit it, publish it.

A published edition is frozen: every editing function refuses to touch it, whatever the page
or request that calls it. Applications stay on the edition they were opened on.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import diff, record
from portal.certification import crosswalk
from portal.certification.models import Area, Edition, EditionStatus, Parameter, ParameterKind
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import User
from portal.rules import RuleError

RULE_FIELDS = ["code", "title", "notes", "illustrative", "scale_max", "grant_threshold", "distinction_threshold", "mandatory_min_score"]
AREA_FIELDS = ["code", "title", "weight"]
PARAMETER_FIELDS = ["code", "question", "help", "kind", "unit", "target", "direction", "choices",
                    "evidence_required", "weight", "mandatory", "key_figure", "linked_check"]


def current_edition() -> Edition | None:
    """The newest published edition: new applications open on it."""
    return db.session.scalar(
        select(Edition).where(Edition.status == EditionStatus.PUBLISHED).order_by(Edition.published_at.desc(), Edition.id.desc()).limit(1)
    )


def open_draft() -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.status == EditionStatus.DRAFT).limit(1))


def ensure_draft(edition: Edition) -> None:
    if edition.is_frozen:
        raise RuleError(_("L'edizione %(code)s è pubblicata e non si può più modificare: crea una nuova bozza.", code=edition.code))


def copy_edition(source: Edition, user: User) -> Edition:
    if open_draft() is not None:
        raise RuleError(_("Esiste già una bozza: completala o pubblicala prima di crearne un'altra."))
    code = f"{source.code}-bozza"
    draft = Edition(code=code, title=f"{source.title} (nuova edizione)", status=EditionStatus.DRAFT,
                    copied_from_id=source.id, **{f: getattr(source, f) for f in RULE_FIELDS if f not in ("code", "title")})
    for area in source.areas:
        copy = Area(code=area.code, title=area.title, weight=area.weight, position=area.position)
        for p in area.parameters:
            copy.parameters.append(Parameter(position=p.position, **{f: getattr(p, f) for f in PARAMETER_FIELDS}))
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
        record("bollino.area.create", edition, {"area": values}, actor=user)
    else:
        record("bollino.area.update", edition, {"area": area.code, **diff(area, AREA_FIELDS, values)}, actor=user)
        for field, value in values.items():
            setattr(area, field, value)
    db.session.commit()
    return area


def delete_area(area: Area, user: User) -> None:
    ensure_draft(area.edition)
    record("bollino.area.delete", area.edition, {"area": area.code}, actor=user)
    db.session.delete(area)
    db.session.commit()


def _clean_parameter(data: dict) -> dict:
    values = {f: data.get(f) for f in PARAMETER_FIELDS}
    values["code"] = values["code"].strip().upper()
    values["unit"] = (values["unit"] or "").strip()
    values["help"] = values["help"] or ""
    values["linked_check"] = values["linked_check"] or ""
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
        record("bollino.parameter.create", area.edition, {"parameter": values}, actor=user)
    else:
        record("bollino.parameter.update", area.edition, {"parameter": parameter.code, **diff(parameter, PARAMETER_FIELDS, values)}, actor=user)
        for field, value in values.items():
            setattr(parameter, field, value)
    db.session.commit()
    return parameter


def delete_parameter(parameter: Parameter, user: User) -> None:
    ensure_draft(parameter.area.edition)
    record("bollino.parameter.delete", parameter.area.edition, {"parameter": parameter.code}, actor=user)
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
    if edition.code.endswith("-bozza"):
        problems.append(_("Dai all'edizione un codice definitivo (ad esempio 2027)."))
    return problems + crosswalk.problems(edition)


def publish(edition: Edition, user: User) -> None:
    ensure_draft(edition)
    problems = publication_problems(edition)
    if problems:
        raise RuleError(_("L'edizione non si può pubblicare: %(p)s", p=" ".join(problems)))
    edition.status = EditionStatus.PUBLISHED
    edition.published_at = utcnow()
    record("bollino.edition.publish", edition, {"code": edition.code}, actor=user)
    db.session.commit()
