"""A proposal's journey as one timeline: states, supports, sessions, decisions, actions, briefs.

Each event says when, what, and where to read more. The viewer decides what an event may say:
staff see who did what and which company supported; others see a supporting company's name only
when it consented to be named (`Support.named`), as everywhere else.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.markup import italian, with_italian
from portal.reshoring.forms import ROME
from portal.reshoring.models import (
    ISSUED,
    AgendaItem,
    BriefIssue,
    FollowUpAction,
    Proposal,
    Roundtable,
    brief_issue_proposal,
)

STATE, SUPPORT, SESSION, DECISION, ACTION, BRIEF = "stato", "adesione", "seduta", "decisione", "azione", "dossier"


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    title: str
    detail: str = ""
    reason: str = ""  # why the state changed, when the state asks for a reason
    upcoming: bool = False
    roundtable_id: int | None = None  # a session to link to (for those who may open it)
    action: FollowUpAction | None = None  # an action, shown with its status and progress
    issue: BriefIssue | None = None  # a brief that carried the proposal


def _day(moment: datetime | date) -> date:
    return moment.astimezone(ROME).date() if isinstance(moment, datetime) else moment


def _state_events(proposal: Proposal, staff: bool) -> list[Event]:
    events = []
    for change in proposal.history:
        if change.agenda_item is not None:
            continue  # told as the session's decision
        who = f" — {change.by.name}" if staff and change.by else ""
        events.append(Event(_day(change.at), STATE, with_italian(_("La proposta è «%(state)s»"), state=change.to_state.label) + who, change.reason))
    return events


def _support_events(proposal: Proposal, staff: bool) -> list[Event]:
    events = []
    for support in proposal.supports:
        if staff or support.named:
            title = _("Aderisce %(company)s", company=support.company.ragione_sociale)
            detail = _("%(fte)s FTE", fte=support.fte) if support.fte is not None else ""
        else:
            title, detail = _("Aderisce un'azienda associata"), ""
        events.append(Event(_day(support.created_at), SUPPORT, title, detail))
    return events


def _session_events(items: list[AgendaItem], reasons: dict[int, str], today: date) -> list[Event]:
    events = []
    for item in items:
        roundtable = item.roundtable
        day = _day(roundtable.starts_at)
        upcoming = day >= today and item.decided_at is None
        if item.outcome_state is not None:
            events.append(Event(day, DECISION, with_italian(_("Al tavolo «%(title)s»: «%(state)s»"), title=roundtable.title,
                                                              state=item.outcome_state.label), item.outcome, reasons.get(item.id, ""),
                                roundtable_id=roundtable.id))
        else:
            title = with_italian(_("All'ordine del giorno del tavolo «%(title)s»") if upcoming
                                 else _("Discussa al tavolo «%(title)s»"), title=roundtable.title)
            events.append(Event(day, SESSION, title, item.outcome, upcoming=upcoming, roundtable_id=roundtable.id))
        events += [Event(action.due_date, ACTION, italian(action.description), action.owner.name, upcoming=action.is_open and action.due_date >= today,
                         action=action) for action in item.actions]
    return events


def _brief_events(issues: list[BriefIssue]) -> list[Event]:
    return [Event(_day(issue.issued_at), BRIEF, with_italian(_("Nel dossier «%(title)s»"), title=issue.title),
                  _("prot. n. %(number)s", number=issue.protocol), issue=issue) for issue in issues]


def proposal_timeline(proposal: Proposal, staff: bool, today: date | None = None) -> list[Event]:
    """Every event of the proposal's journey, newest first, upcoming ones on top."""
    today = today or date.today()
    items = db.session.scalars(
        select(AgendaItem).join(Roundtable).where(AgendaItem.proposal_id == proposal.id)
        .options(joinedload(AgendaItem.roundtable), joinedload(AgendaItem.outcome_state),
                 selectinload(AgendaItem.actions).joinedload(FollowUpAction.owner))
    ).all()
    issues = db.session.scalars(
        select(BriefIssue).join(brief_issue_proposal).where(brief_issue_proposal.c.proposal_id == proposal.id, BriefIssue.status == ISSUED)
        .order_by(BriefIssue.issued_at)
    ).all()
    reasons = {change.agenda_item_id: change.reason for change in proposal.history if change.agenda_item_id}
    events = (_state_events(proposal, staff) + _support_events(proposal, staff) + _session_events(list(items), reasons, today)
              + _brief_events(list(issues)))
    return sorted(events, key=lambda e: (e.upcoming, e.day), reverse=True)


def progress(events: list[Event]) -> dict | None:
    """How far the actions agreed at the tables have got (the public accountability line), or None without actions."""
    actions = [e.action for e in events if e.action is not None]
    if not actions:
        return None
    return {"actions": len(actions), "done": sum(1 for a in actions if not a.is_open),
            "percent": Decimal(sum(a.progress for a in actions)) / len(actions)}  # exact: the page rounds it once
