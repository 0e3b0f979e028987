"""What anybody may read of the scheme: the published editions, each parameter's share of the
total, what each score means, and the edition's provenance. No draft is ever returned here, only
the consultation on the next edition's draft once it is announced (its dates, then its report)."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.certification.models import Area, Edition, EditionStatus, Parameter, ParameterKind
from portal.extensions import db
from portal.provenance import Provenance, official_or_illustrative

SCORE_MEANINGS = {
    "absent": _l("assente: il requisito non è soddisfatto o mancano le prove"),
    "insufficient": _l("insufficiente: il requisito è soddisfatto in minima parte"),
    "partial": _l("parziale: il requisito è soddisfatto solo in parte"),
    "meets": _l("soddisfatto: il requisito è soddisfatto pienamente, con le prove"),
    "exceeds": _l("superato: l'azienda va oltre il requisito"),
}


def editions() -> list[Edition]:
    """Newest first."""
    return list(db.session.scalars(select(Edition).where(Edition.status == EditionStatus.PUBLISHED)
                                   .order_by(Edition.published_at.desc(), Edition.id.desc())))


def edition(code: str) -> Edition | None:
    return db.session.scalar(
        select(Edition).where(Edition.code == code, Edition.status == EditionStatus.PUBLISHED)
        .options(selectinload(Edition.areas).selectinload(Area.parameters))
    )


def consultation_on_next_edition():
    """The consultation on the open draft, once launched (announced, open, closed or reported);
    None while staff still prepare it or when there is no draft."""
    draft = db.session.scalar(select(Edition).where(Edition.status == EditionStatus.DRAFT).order_by(Edition.id.desc()))
    consultation = draft.consultation if draft is not None else None
    return consultation if consultation is not None and consultation.state != "preparing" else None


def previous_edition(edition: Edition, editions: list[Edition]) -> Edition | None:
    """The published edition before `edition` in `editions` (newest first)."""
    later = [e.id for e in editions]
    if edition.id not in later:
        return None
    index = later.index(edition.id)
    return editions[index + 1] if index + 1 < len(editions) else None


def scale_meanings(scale_max: int) -> list[tuple[int, str]]:
    """Each score of the scale with its meaning: 0 absent, the top exceeds, the one below meets,
    the rest partial (and 1 insufficient on a scale of four or more)."""
    meanings = []
    for score in range(scale_max + 1):
        if score == 0:
            key = "absent"
        elif score == scale_max:
            key = "exceeds"
        elif score == scale_max - 1:
            key = "meets"
        elif score == 1 and scale_max >= 4:
            key = "insufficient"
        else:
            key = "partial"
        meanings.append((score, str(SCORE_MEANINGS[key])))
    return meanings


@dataclass(frozen=True)
class Shares:
    """Each area's and parameter's nominal share of the total out of 100 (exact; rounded on display)."""

    areas: dict[int, Decimal]
    parameters: dict[int, Decimal]


def shares(edition: Edition) -> Shares:
    total = sum(a.weight for a in edition.areas)
    areas, parameters = {}, {}
    for area in edition.areas:
        area_share = Decimal(area.weight) * 100 / total if total else Decimal(0)
        areas[area.id] = area_share
        inside = sum(p.weight for p in area.parameters)
        for p in area.parameters:
            parameters[p.id] = area_share * p.weight / inside if inside else Decimal(0)
    return Shares(areas, parameters)


def figures(edition: Edition) -> list[Parameter]:
    """The quantitative parameters: a figure with a target and a definition."""
    return [p for p in edition.parameters if p.kind == ParameterKind.NUMBER]


def provenance(edition: Edition) -> Provenance:
    return Provenance(kind=official_or_illustrative(not edition.illustrative),
                      source=_("Assocontact, schema del Bollino Blu, edizione %(code)s", code=edition.code),
                      as_of=edition.published_at.date() if edition.published_at else None)
