"""The figures of the ministry brief, one function per picture, each with its provenance.

Members' data leave only as `portal.reshoring.disclosure` allows (named supports, aggregates over
three or more companies); the tariff and Bollino Blu figures come from those modules' public
faces; the kind of every figure ("ufficiale", "dimostrativo", ...) is read from the data's own
flags (`portal.provenance`), never written in a template.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.certification.stats import bollino_coverage
from portal.extensions import db
from portal.formatting import number
from portal.geography import country_name
from portal.provenance import Kind, Provenance, official_or_illustrative, weakest
from portal.reshoring import disclosure
from portal.reshoring.charts import bar_chart, column_chart, shares_chart
from portal.reshoring.models import WORKERS_KEY, Proposal, ProposalState, SectorFigure, Support, WorkAbroad
from portal.tariffs.stats import OTHERS as OTHER_TARIFF_GROUP
from portal.tariffs.stats import rate_statistics

QUARTERS = 8  # the trend covers the last two years


def share(part, total) -> Decimal | None:
    """A share in percent, exact: only the display rounds it (`|percent`, `portal.formatting`)."""
    return Decimal(part) * 100 / Decimal(total) if total else None


def declared(kind: Kind, source: str, as_of: date) -> Provenance:
    return Provenance(kind, source, as_of)


# --- quarters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Quarter:
    label: str  # "2026 T3"
    start: date
    end: date


def quarters_until(day: date, count: int = QUARTERS) -> list[Quarter]:
    """The `count` calendar quarters ending with the one that holds `day`, oldest first."""
    quarters = []
    year, index = day.year, (day.month - 1) // 3
    for _step in range(count):
        start = date(year, 3 * index + 1, 1)
        end = (date(year + (index == 3), (3 * index + 3) % 12 + 1, 1)) - timedelta(days=1)
        quarters.append(Quarter(_("%(year)s T%(n)s", year=year, n=index + 1), start, end))
        year, index = (year - 1, 3) if index == 0 else (year, index - 1)
    return quarters[::-1]


# --- proposals and supports ---------------------------------------------------------------------

def proposal_provenance(proposal: Proposal) -> Provenance:
    return Provenance(Kind.ESTIMATED, _("stime della proposta «%(title)s»", title=proposal.title), proposal.updated_at.date())


def proposals_provenance(on: date) -> Provenance:
    return Provenance(Kind.ESTIMATED, _("stime delle proposte all'ordine del giorno"), on)


def supports_provenance(on: date) -> Provenance:
    return declared(Kind.DECLARED, _("adesioni delle aziende associate sul portale Assocontact"), on)


def proposal_page_figures(proposal: Proposal, on: date) -> dict:
    """What a proposal's page shows beside its text: the supports as outsiders may see them, and where
    its figures come from (the same provenance the brief prints)."""
    return {"supports": disclosure.support_picture(proposal.supports), "estimate_provenance": proposal_provenance(proposal),
            "supports_provenance": supports_provenance(on)}


def proposals_picture(proposals: list[Proposal], on: date) -> list[dict]:
    return [{"proposal": p, "provenance": proposal_provenance(p), "supports": disclosure.support_picture(p.supports),
             "supports_provenance": supports_provenance(on), "decisions": [h for h in p.history if h.agenda_item is not None]}
            for p in proposals]


@dataclass
class CompanyCommitment:
    """What one company would bring back across the brief's proposals: per proposal it may say a
    different figure, but its people come back once, so the highest figure counts (not the sum).
    It counts as named only if it consented on every support used."""

    company_id: int
    fte: int | None
    region_fte: dict
    from_countries: list
    named: bool


def per_company(supports: list[Support]) -> list[CompanyCommitment]:
    by_company: dict[int, CompanyCommitment] = {}
    for support in supports:
        best = by_company.setdefault(support.company_id, CompanyCommitment(support.company_id, None, {}, [], True))
        if support.fte is not None:
            best.fte = max(best.fte or 0, support.fte)
        for region, fte in support.region_fte.items():
            best.region_fte[region] = max(best.region_fte.get(region, 0), fte)
        best.from_countries = sorted(set(best.from_countries) | set(support.from_countries))
        best.named = best.named and support.named
    return list(by_company.values())


def summary_picture(proposals: list[Proposal], on: date, tariffs: dict, bollino: dict) -> dict:
    """The executive summary: the asks, what is at stake, where, the trend, tariffs and Bollino Blu headlines."""
    supports = [s for p in proposals for s in p.supports]
    companies = per_company(supports)
    estimated_fte = [p.fte_reshored for p in proposals if p.fte_reshored is not None]
    estimated_cost = [p.state_cost for p in proposals if p.state_cost is not None]
    regions = disclosure.fte_by_region(companies, _("Altre regioni"))
    region_rows = [{"label": g.label, "members": g.members, "fte": g.values.get("fte", 0), "companies": g.size} for g in regions.rows]
    declared_fte = [c for c in companies if c.fte is not None]
    return {
        "asks": proposals,
        "proposals": len(proposals),
        "estimated_fte": sum(estimated_fte) if estimated_fte else None,
        "estimated_fte_of": len(estimated_fte),
        "estimated_cost": sum(estimated_cost) if estimated_cost else None,
        "estimated_cost_of": len(estimated_cost),
        "companies": len(companies),
        "support_fte": disclosure.totals(declared_fte).fte if declared_fte and _summary_total_safe(proposals, declared_fte) else None,
        "support_fte_withheld": bool(declared_fte) and not _summary_total_safe(proposals, declared_fte),
        "regions": region_rows,
        "regions_note": _("Le aziende che hanno indicato le regioni sono meno di tre: per riservatezza la ripartizione per "
                          "regione non è mostrata.") if regions.withheld else None,  # the PDF's words, and the annex's
        "regions_chart": bar_chart(_("FTE che le aziende aderenti riporterebbero in Italia, per regione"),
                                   [r["label"] for r in region_rows], [r["fte"] for r in region_rows]) if region_rows else None,
        "estimate_provenance": proposals_provenance(on),
        "supports_provenance": supports_provenance(on),
        "trend": trend_picture(on),
        "tariffs": tariffs,
        "bollino": bollino,
    }


def _summary_total_safe(proposals: list[Proposal], companies: list) -> bool:
    """The summary's total gives no unnamed company away, neither alone nor minus a proposal's total the brief also
    prints: the unnamed companies outside each such proposal must be none or at least three."""
    if not disclosure.may_total(companies):
        return False
    unnamed = {c.company_id for c in companies if not c.named}
    for proposal in proposals:
        picture = disclosure.support_picture(proposal.supports)
        if picture.total is None and picture.others is None:
            continue  # the brief prints no total of this proposal to subtract
        outside = unnamed - {s.company_id for s in proposal.supports}
        if 0 < len(outside) < disclosure.MIN_COMPANIES:
            return False
    return True


# --- trend over time ------------------------------------------------------------------------------

def trend_picture(on: date) -> dict:
    """New supports per quarter (to every proposal presented) and FTE abroad at each quarter's end."""
    quarters = quarters_until(on)
    supported_on = db.session.scalars(
        select(Support.created_at).join(Proposal).join(ProposalState).where(~ProposalState.is_initial,
                                                                             Support.created_at >= _start_of(quarters[0])))
    days = [moment.date() for moment in supported_on]
    new_supports = [sum(1 for day in days if q.start <= day <= q.end) for q in quarters]
    abroad = _fte_abroad_by_quarter(quarters)
    labels = [q.label for q in quarters]
    return {
        "quarters": labels,
        "supports": new_supports,
        "supports_chart": column_chart(_("Nuove adesioni alle proposte, per trimestre"), labels, new_supports) if any(new_supports) else None,
        "abroad": abroad,
        "abroad_withheld": any(v is None for v in abroad),
        "abroad_chart": column_chart(_("FTE all'estero a fine trimestre (dichiarati dalle aziende)"), labels, abroad, 1)
        if any(v for v in abroad) else None,
        "provenance": declared(Kind.DECLARED, _("adesioni e attività all'estero dichiarate dalle aziende associate"), on),
    }


def _start_of(quarter: Quarter) -> datetime:
    return datetime.combine(quarter.start, time.min, tzinfo=UTC)


def _fte_abroad_by_quarter(quarters: list[Quarter]) -> list[Decimal | None]:
    """FTE of the activities running at each quarter's end; None when fewer than three companies ran them, or when
    fewer than three companies account for the change since the last quarter shown."""
    first = quarters[0].start
    records = db.session.execute(
        select(WorkAbroad.company_id, WorkAbroad.fte, WorkAbroad.start_date, WorkAbroad.end_date)
        .where(or_(WorkAbroad.end_date.is_(None), WorkAbroad.end_date >= first))
    ).all()
    values, last_shown = [], None
    for quarter in quarters:
        group, running = disclosure.Group(quarter.label), set()
        for n, (company_id, fte, start, end) in enumerate(records):
            if start <= quarter.end and (end is None or end >= quarter.end):
                group.add(company_id, named=False, fte=fte)
                running.add((n, company_id))
        # the change from the last quarter shown is the activities that started or ended meanwhile: their companies
        # must be none or at least three, or the difference between two printed quarters is one company's FTE
        changed = {company_id for _n, company_id in running ^ last_shown} if last_shown is not None else set()
        if disclosure.is_safe(group) and not 0 < len(changed) < disclosure.MIN_COMPANIES:
            values.append(group.values.get("fte", Decimal(0)))
            last_shown = running
        else:
            values.append(None)
    return values


# --- tariffs and Bollino Blu --------------------------------------------------------------------

UNDER_LABOUR, UNDER_SUSTAINABLE, COMPLIANT = "sotto_costo_lavoro", "sotto_minimo_sostenibile", "conforme"
TARIFF_SERIES_KEYS = (UNDER_LABOUR, UNDER_SUSTAINABLE, COMPLIANT)


def _tariff_row(figure) -> dict:
    """A figure of `rate_statistics` as the brief shows it: counts, and the shares per list and per company."""
    return {"key": figure.key, "label": figure.label, "rows": figure.rows, "lists": figure.lists, "companies": figure.companies,
            "first_date": figure.first_date, "last_date": figure.last_date, "small_sample": figure.small_sample,
            "illustrative_pct": figure.illustrative_pct,
            "per_list": {v: figure.shares[v].per_list for v in TARIFF_SERIES_KEYS},
            "per_company": {v: figure.shares[v].per_company for v in TARIFF_SERIES_KEYS},
            "per_row": {v: figure.shares[v].per_row for v in TARIFF_SERIES_KEYS}}


def _tariff_chart(title: str, rows: list[dict]) -> str | None:
    """Shares per list (a long list counts once, like a short one); each bar says how many lists and companies it rests on."""
    if not rows:
        return None
    series = [(UNDER_LABOUR, _("Sotto il costo del lavoro")), (UNDER_SUSTAINABLE, _("Sotto il minimo sostenibile")), (COMPLIANT, _("Conformi"))]
    labelled = [(_("%(label)s (%(lists)s listini, %(companies)s aziende)", label=r["label"], lists=number(r["lists"]),
                   companies=number(r["companies"])), r["per_list"]) for r in rows]
    return shares_chart(title, labelled, series)


def tariff_picture(date_from: date | None, date_to: date) -> dict:
    """The tariffs' headline and tables from `portal.tariffs.stats.rate_statistics`: shares per list and per company
    (one large price list cannot swamp them), the period covered, lists and companies counted, small samples
    flagged; only figures over three companies or more (`disclosable`)."""
    statistics = rate_statistics(date_from, date_to)
    total = statistics.total
    # small groups merged into «altri» by tariffs.stats, so that none can be read back from the total
    levels = [_tariff_row(f) for f in statistics.disclosed["livello"] if f.disclosable]
    sectors = [_tariff_row(f) for f in statistics.disclosed["settore"] if f.disclosable]
    for row in levels:
        if row["key"] != OTHER_TARIFF_GROUP:
            row["label"] = _("Livello %(level)s", level=row["key"])

    return {
        "total": _tariff_row(total) if total.rows else None,
        "disclosable": total.disclosable,
        "by_level": levels,
        "by_sector": sectors,
        "hidden_levels": sum(1 for f in statistics.by_level if f.key not in {row["key"] for row in levels}),
        "hidden_sectors": sum(1 for f in statistics.by_sector if f.key not in {row["key"] for row in sectors}),
        "date_from": date_from,
        "date_to": date_to,
        "illustrative": any(not official for official in statistics.decrees.values()) or statistics.uplift_illustrative,
        "provenance": statistics.provenance,
        "chart_levels": _tariff_chart(_("Quote per listino, per livello di inquadramento"), levels),
        "chart_sectors": _tariff_chart(_("Quote per listino, per settore del committente"), sectors),
    }


def workers_figure() -> SectorFigure | None:
    """The sector's workers (reported), what the Bollino Blu coverage is a share of."""
    return db.session.scalar(select(SectorFigure).where(SectorFigure.key == WORKERS_KEY))


def bollino_picture(on: date) -> dict:
    coverage = bollino_coverage(on)
    kind = official_or_illustrative(coverage["edition_official"])
    # a certified company's operators are its own declared figures (the public register names it): regions of fewer
    # than three companies are merged, and the operators' total is shown only over three companies or more
    groups = []
    for row in coverage["by_region"]:
        group = disclosure.Group(row["region"])
        for company_id in row["company_ids"]:
            group.add(company_id, named=False)
        group.values = {"sites": row["sites"], "operators": row["operators"]}
        groups.append(group)
    disclosed = disclosure.disclose(groups, _("Altre regioni"), sort_key=lambda g: g.label)
    regions = [{"region": g.label, "members": g.members, "companies": g.size, "sites": g.values["sites"],
                "operators": g.values["operators"]} for g in disclosed.rows]
    operators_shown = not 0 < coverage["companies"] < disclosure.MIN_COMPANIES  # none certified gives nobody away
    withheld = disclosed.withheld and bool(groups)
    coverage = coverage | {"by_region": regions,
                           "regions_note": _("Le aziende certificate sono meno di tre: per riservatezza la ripartizione per "
                                             "regione non è mostrata.") if withheld else None,
                           "operators": coverage["operators"] if operators_shown else None,
                           "sites": coverage["sites"] if operators_shown else None}
    workers = workers_figure()
    chart = bar_chart(_("Operatori coperti dal Bollino Blu per regione"), [r["region"] for r in regions],
                      [r["operators"] for r in regions]) if regions else None
    share_of_sector = None
    if workers is not None and workers.value and operators_shown:
        share_of_sector = {
            "pct": share(coverage["operators"], workers.value),
            "workers": workers,
            "provenance": Provenance(weakest(kind, Kind(workers.kind)),
                                     _("operatori coperti dal registro del Bollino Blu rispetto a: %(figure)s, %(source)s (%(year)s)",
                                       figure=workers.label, source=workers.source, year=workers.year), on),
        }
    source = _("registro del Bollino Blu del portale Assocontact, edizione %(edition)s dello schema, certificati in vigore",
               edition=coverage["edition"] or "—")
    return coverage | {"on": on, "chart": chart, "provenance": Provenance(kind, source, on), "share_of_sector": share_of_sector}


# --- work abroad ---------------------------------------------------------------------------------

def _active_work(on: date) -> list[WorkAbroad]:
    return list(db.session.scalars(select(WorkAbroad).options(selectinload(WorkAbroad.profile))
                                   .where(or_(WorkAbroad.end_date.is_(None), WorkAbroad.end_date >= on))))


def abroad_picture(on: date) -> dict:
    """Work abroad in progress or planned on `on`, by country: countries with fewer than three companies are merged."""
    groups: dict[str, disclosure.Group] = {}
    for record in _active_work(on):
        group = groups.setdefault(record.country, disclosure.Group(country_name(record.country)))
        group.add(record.company_id, named=False, fte=record.fte, records=1, contacts=record.yearly_contacts, hours=record.yearly_hours)
    shown = disclosure.disclose(groups.values(), _("Altri Paesi"), sort_key=lambda g: (-g.values.get("fte", 0), g.label))
    rows = [{"label": g.label, "members": g.members, "companies": g.size, "records": g.values.get("records", 0), "fte": g.values.get("fte", Decimal(0)),
             "contacts": g.values.get("contacts"), "hours": g.values.get("hours")} for g in shown.rows]
    return {
        "rows": rows,
        "withheld": shown.withheld,
        "total_fte": sum((r["fte"] for r in rows), Decimal(0)),
        "total_records": sum(r["records"] for r in rows),
        "chart": bar_chart(_("FTE all'estero per Paese (dichiarati dalle aziende)"), [r["label"] for r in rows],
                           [r["fte"] for r in rows], 1) if rows else None,
        "provenance": declared(Kind.DECLARED, _("attività all'estero dichiarate dalle aziende associate sul portale Assocontact"), on),
        "on": on,
    }


def compliance_picture(on: date) -> dict:
    """Art. 24-bis compliance of members' work abroad, by country (only when staff include it in a brief)."""
    groups: dict[str, disclosure.Group] = {}
    for record in _active_work(on):
        group = groups.setdefault(record.country, disclosure.Group(country_name(record.country)))
        group.add(record.company_id, named=False, records=1, pending=int(record.assessment(on).pending))
    shown = disclosure.disclose(groups.values(), _("Altri Paesi"))
    rows = [{"label": g.label, "members": g.members, "companies": g.size, "records": g.values.get("records", 0), "pending": g.values.get("pending", 0)}
            for g in shown.rows]
    return {"rows": rows, "withheld": shown.withheld, "on": on,
            "provenance": declared(Kind.DECLARED, _("attività all'estero e comunicazioni dichiarate dalle aziende associate"), on)}


def sector_figures() -> list[SectorFigure]:
    return list(db.session.scalars(select(SectorFigure).order_by(SectorFigure.label, SectorFigure.year.desc())))
