"""The ministry brief: the live data of the portal gathered for one roundtable or a period.

`gather()` builds the pictures of the sections the brief includes (`Brief.sections`, chosen per
brief) with `portal.reshoring.brief_figures`; the same data make the HTML preview, the PDF and
the XLSX annex. An issued brief (`BriefIssue`) is rendered once with its protocol number and
addressees and kept as it was sent (`portal.reshoring.issues`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import render_template
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.database import utcnow
from portal.extensions import db
from portal.legal import BRIEF_REFERENCES
from portal.pdf import render_pdf
from portal.reshoring import brief_figures as figures
from portal.reshoring.forms import ADDRESSEES, ROME, SECTION_TITLES
from portal.reshoring.markup import render_markdown
from portal.reshoring.models import (
    BRIEF_SECTIONS,
    AgendaItem,
    Brief,
    BriefIssue,
    Proposal,
    ProposalStateChange,
    Roundtable,
)


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
    decisions = selectinload(Proposal.history)  # the brief shows each decision's session and new state
    query = select(Proposal).options(
        selectinload(Proposal.supports), decisions.joinedload(ProposalStateChange.agenda_item).joinedload(AgendaItem.roundtable),
        decisions.joinedload(ProposalStateChange.to_state),
    ).where(condition)
    proposals = list(db.session.scalars(query.order_by(Proposal.title)))
    if brief.roundtable is not None:  # in the order of the agenda
        order = {item.proposal_id: item.position for item in brief.roundtable.items}
        proposals.sort(key=lambda p: order.get(p.id, 0))
    return proposals


def gather(brief: Brief, issue: BriefIssue | None = None, today: date | None = None) -> dict:
    """Everything the brief's template shows, for the sections it includes (those of `issue`, once issued)."""
    scope = scope_of(brief, today)
    included = issue.sections if issue is not None else brief.sections
    sections = [s for s in BRIEF_SECTIONS if s in included]
    proposals = proposals_of(brief, scope)
    on = scope.date_to
    data = {
        "brief": brief, "issue": issue, "scope": scope, "sections": sections, "titles": SECTION_TITLES,
        "proposals": proposals, "generated_at": utcnow(), "on": on,
        "addressee_labels": dict(ADDRESSEES),  # the PDF may be rendered outside the module's requests (a background job)
    }
    tariffs = figures.tariff_picture(scope.date_from, on) if {"sintesi", "tariffe"} & set(sections) else None
    bollino = figures.bollino_picture(on) if {"sintesi", "bollino"} & set(sections) else None
    builders = {
        "sintesi": lambda: figures.summary_picture(proposals, on, tariffs, bollino),
        "posizione": lambda: render_markdown(brief.position),
        "proposte": lambda: figures.proposals_picture(proposals, on),
        "tariffe": lambda: tariffs,
        "bollino": lambda: bollino,
        "estero": lambda: figures.abroad_picture(on),
        "conformita": lambda: figures.compliance_picture(on),
        "settore": figures.sector_figures,
        "normativa": lambda: BRIEF_REFERENCES,
    }
    for section in sections:
        data[section] = builders[section]()
    return data


def brief_html(brief: Brief, issue: BriefIssue | None = None) -> str:
    """The brief as one self-contained HTML document (print styles inside), ready for WeasyPrint."""
    return render_template("reshoring/brief_pdf.html", **gather(brief, issue))


def brief_pdf(brief: Brief, issue: BriefIssue | None = None) -> bytes:
    return render_pdf(brief_html(brief, issue))


def brief_filename(brief: Brief, extension: str) -> str:
    return f"dossier-{brief.id}-{brief.updated_at.strftime('%Y%m%d')}.{extension}"
