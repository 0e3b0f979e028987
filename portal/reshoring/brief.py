"""The ministry brief: the live data of the portal gathered for one roundtable or a period.

Every figure carries its source: the tariff and Bollino Blu pictures come from those modules'
public faces (`portal.tariffs.stats.rate_shares`, `portal.certification.stats.bollino_coverage`),
work abroad is what the members declared, and sector figures are
kept by staff with year, source and whether they are official or only reported.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.certification.stats import bollino_coverage
from portal.database import utcnow
from portal.extensions import db
from portal.geography import country_name
from portal.pdf import render_pdf
from portal.reshoring.charts import bar_chart, shares_chart
from portal.reshoring.forms import ROME
from portal.reshoring.markup import render_markdown
from portal.reshoring.models import (
    AgendaItem,
    Brief,
    Proposal,
    ProposalStateChange,
    Roundtable,
    SectorFigure,
    WorkAbroad,
)
from portal.tariffs.stats import rate_shares

VERDICT_KEYS = ("sotto_costo_lavoro", "sotto_minimo_sostenibile", "conforme")


@dataclass(frozen=True)
class Scope:
    date_from: date | None
    date_to: date
    roundtables: list[Roundtable]


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ROME).date()


def _period(brief: Brief) -> tuple[datetime, datetime]:
    return (datetime.combine(brief.date_from, time.min, tzinfo=ROME), datetime.combine(brief.date_to, time.max, tzinfo=ROME))


def scope_of(brief: Brief, today: date | None = None) -> Scope:
    """The period the brief speaks of: up to the session's day, or the chosen date range."""
    today = today or date.today()
    if brief.roundtable is not None:
        return Scope(None, min(_local_day(brief.roundtable.starts_at), today), [brief.roundtable])
    start, end = _period(brief)
    roundtables = db.session.scalars(
        select(Roundtable).where(Roundtable.starts_at.between(start, end)).order_by(Roundtable.starts_at)
    ).all()
    return Scope(brief.date_from, min(brief.date_to, today), list(roundtables))


def proposals_of(brief: Brief, scope: Scope) -> list[Proposal]:
    """The proposals on the agenda of the brief's sessions; for a period, also those decided in it."""
    agenda = select(AgendaItem.proposal_id).where(AgendaItem.roundtable_id.in_([rt.id for rt in scope.roundtables]))
    condition = Proposal.id.in_(agenda)
    if brief.roundtable is None:
        start, end = _period(brief)
        decided = select(ProposalStateChange.proposal_id).where(
            ProposalStateChange.at.between(start, end), ProposalStateChange.from_state_id.is_not(None))
        condition = or_(condition, Proposal.id.in_(decided))
    decisions = selectinload(Proposal.history)  # the template shows each decision's session and new state
    query = select(Proposal).options(
        selectinload(Proposal.supports), decisions.joinedload(ProposalStateChange.agenda_item).joinedload(AgendaItem.roundtable),
        decisions.joinedload(ProposalStateChange.to_state),
    ).where(condition)
    proposals = list(db.session.scalars(query.order_by(Proposal.title)))
    if brief.roundtable is not None:  # in the order of the agenda
        order = {item.proposal_id: item.position for item in brief.roundtable.items}
        proposals.sort(key=lambda p: order.get(p.id, 0))
    return proposals


def share(part: int, total: int) -> float | None:
    return round(100 * part / total, 1) if total else None


def with_shares(row: dict) -> dict:
    """A count row of `rate_shares()` with the percent of each verdict beside its count."""
    return row | {f"{key}_pct": share(row[key], row["total"]) for key in VERDICT_KEYS}


def tariff_picture(scope: Scope) -> dict:
    shares = rate_shares(scope.date_from, scope.date_to)
    levels = [with_shares(row | {"label": _("Livello %(level)s", level=row["key"])}) for row in shares["by_level"] if row["total"]]
    sectors = [with_shares(row) for row in shares["by_sector"] if row["total"]]
    series = [("sotto_costo_lavoro", _("Sotto il costo del lavoro")), ("sotto_minimo_sostenibile", _("Sotto il minimo sostenibile")),
              ("conforme", _("Conformi"))]
    return {
        "total": with_shares(shares),
        "by_level": levels,
        "by_sector": sectors,
        "source": shares["source"],
        "illustrative": shares["uses_illustrative_tables"],
        "chart_levels": shares_chart(_("Tariffe verificate per livello di inquadramento"), levels, series) if levels else None,
        "chart_sectors": shares_chart(_("Tariffe verificate per settore del committente"), sectors, series) if sectors else None,
    }


def bollino_picture(scope: Scope) -> dict:
    coverage = bollino_coverage(scope.date_to)
    regions = coverage["by_region"]
    chart = bar_chart(_("Operatori coperti dal Bollino Blu per regione"), [r["region"] for r in regions],
                      [r["operators"] for r in regions], _("Operatori")) if regions else None
    return coverage | {"on": scope.date_to, "chart": chart}


def work_abroad_by_country(on: date) -> list[dict]:
    """What members declared: activity abroad in progress or planned on `on`, by country."""
    records = db.session.scalars(
        select(WorkAbroad).where(or_(WorkAbroad.end_date.is_(None), WorkAbroad.end_date >= on))
    ).all()
    rows: dict[str, dict] = {}
    for record in records:
        row = rows.setdefault(record.country, {"country": record.country, "name": country_name(record.country), "records": 0,
                                               "companies": set(), "fte": 0, "contacts": 0, "hours": 0, "incomplete": 0})
        row["records"] += 1
        row["companies"].add(record.company_id)
        row["fte"] += record.fte
        row["contacts"] += record.yearly_contacts or 0
        row["hours"] += record.yearly_hours or 0
        row["incomplete"] += 1 if record.problems(on) else 0
    return [row | {"companies": len(row["companies"])} for row in sorted(rows.values(), key=lambda r: -r["fte"])]


def work_abroad_picture(scope: Scope) -> dict:
    rows = work_abroad_by_country(scope.date_to)
    chart = bar_chart(_("FTE all'estero per Paese (dichiarati dalle aziende)"), [r["name"] for r in rows],
                      [float(r["fte"]) for r in rows], _("FTE")) if rows else None
    return {"rows": rows, "chart": chart, "on": scope.date_to,
            "total_fte": sum(r["fte"] for r in rows), "total_records": sum(r["records"] for r in rows)}


def sector_figures() -> list[SectorFigure]:
    return list(db.session.scalars(select(SectorFigure).order_by(SectorFigure.label, SectorFigure.year.desc())))


def gather(brief: Brief) -> dict:
    """Everything the brief's template shows."""
    scope = scope_of(brief)
    return {
        "brief": brief,
        "scope": scope,
        "position": render_markdown(brief.position),
        "proposals": proposals_of(brief, scope),
        "tariffs": tariff_picture(scope),
        "bollino": bollino_picture(scope),
        "abroad": work_abroad_picture(scope),
        "figures": sector_figures(),
        "generated_at": utcnow(),
    }


def brief_html(brief: Brief) -> str:
    """The brief as one self-contained HTML document (print styles inside), ready for WeasyPrint."""
    return render_template("reshoring/brief_pdf.html", **gather(brief))


def brief_pdf(brief: Brief) -> bytes:
    return render_pdf(brief_html(brief))
