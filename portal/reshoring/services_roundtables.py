"""Every state change of the roundtables: sessions, parties, agenda, outcomes, actions, documents."""

from datetime import date, timedelta

from celery.schedules import crontab
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit import diff, record
from portal.database import utcnow
from portal.extensions import db
from portal.jobs import periodic
from portal.mail import queue_mail
from portal.reshoring.models import (
    ACTION_STATUSES,
    BLOCKED,
    DONE,
    MINUTES_APPROVED,
    MINUTES_DRAFT,
    MINUTES_IN_REVIEW,
    ActionUpdate,
    AgendaItem,
    FollowUpAction,
    MinutesComment,
    Organisation,
    Proposal,
    ProposalState,
    Roundtable,
    RoundtableDocument,
    RoundtableParty,
)
from portal.reshoring.services import _attach_file, _create_or_update, _move_proposal, pick
from portal.reshoring.services_invitations import _cancel_for, _send_minutes, _send_updates
from portal.rules import RuleError

ROUNDTABLE_FIELDS = ["title", "starts_at", "ends_at", "place", "link", "convening_body", "description"]
ACTION_FIELDS = ["description", "owner_id", "due_date"]
WHEN_AND_WHERE = ["starts_at", "ends_at", "place", "link"]


def save_roundtable(roundtable: Roundtable | None, data: dict, user) -> Roundtable:
    values = pick(data, ROUNDTABLE_FIELDS)
    if values["ends_at"] and values["ends_at"] <= values["starts_at"]:
        raise RuleError(_("L'orario di fine deve seguire quello di inizio."))
    if not values["place"].strip() and not values["link"].strip():
        raise RuleError(_("Indica il luogo oppure il collegamento alla riunione."))
    moved = roundtable is not None and any(getattr(roundtable, f) != values[f] for f in WHEN_AND_WHERE)
    roundtable = _create_or_update(roundtable, Roundtable, ROUNDTABLE_FIELDS, values, "roundtable", created_by_id=user.id)
    if moved:
        roundtable.sequence += 1  # the invitations already sent are out of date: the same event, one version more
        _send_updates(roundtable)
    db.session.commit()
    return roundtable


def add_parties(roundtable: Roundtable, organisations: list[Organisation]) -> list[RoundtableParty]:
    """Seat organisations at the session (those already seated are left as they are)."""
    seated = {p.organisation_id for p in roundtable.parties}
    with db.session.no_autoflush:  # seating one organisation must not flush the next one half-made
        added = [RoundtableParty(roundtable=roundtable, organisation=o) for o in organisations if o.id not in seated]
    if not added:
        raise RuleError(_("Le organizzazioni scelte sono già tra le parti del tavolo."))
    db.session.add_all(added)
    record("roundtable.party_add", roundtable, {"parties": [p.organisation.name for p in added]})
    db.session.commit()
    return added


def remove_party(party: RoundtableParty) -> None:
    if any(a.owner_id == party.organisation_id for item in party.roundtable.items for a in item.actions):
        raise RuleError(_("«%(name)s» è responsabile di un'azione di questo tavolo: assegna l'azione a un'altra parte prima di toglierla.",
                          name=party.name))
    record("roundtable.party_remove", party.roundtable, {"kind": party.kind, "name": party.name})
    _cancel_for(party)
    db.session.delete(party)
    db.session.commit()


def set_attendance(roundtable: Roundtable, present_ids: set[int]) -> None:
    """Record which invited parties were present (only once the session has started)."""
    if not roundtable.is_past():
        raise RuleError(_("Le presenze si registrano dopo l'inizio della seduta."))
    changes = {}
    for party in roundtable.parties:
        present = party.id in present_ids
        if party.present != present:
            changes[party.name] = [party.present, present]
            party.present = present
    record("roundtable.attendance", roundtable, changes)
    db.session.commit()


def add_agenda_item(roundtable: Roundtable, proposal: Proposal | None, title: str, notes: str) -> AgendaItem:
    if proposal is None and not title.strip():
        raise RuleError(_("Scegli una proposta oppure scrivi il titolo del punto."))
    if proposal is not None and proposal.is_draft:
        raise RuleError(_("Una bozza non può andare all'ordine del giorno: prima va presentata."))
    if proposal is not None and any(i.proposal_id == proposal.id for i in roundtable.items):
        raise RuleError(_("Questa proposta è già all'ordine del giorno."))
    position = (db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.roundtable_id == roundtable.id)) or 0) + 1
    item = AgendaItem(roundtable=roundtable, proposal=proposal, title=title.strip(), notes=notes, position=position)
    db.session.add(item)
    record("roundtable.agenda_add", roundtable, {"item": item.label})
    db.session.commit()
    return item


def remove_agenda_item(item: AgendaItem) -> None:
    if item.decided_at is not None:
        raise RuleError(_("Un punto con un esito registrato non può essere tolto dall'ordine del giorno."))
    record("roundtable.agenda_remove", item.roundtable, {"item": item.label})
    db.session.delete(item)
    db.session.commit()


def record_outcome(item: AgendaItem, outcome: str, target: ProposalState | None, reason: str, user) -> None:
    """The outcome of an agenda item; for a proposal it may move its state, citing this session."""
    if not item.roundtable.is_past():
        raise RuleError(_("La seduta non si è ancora svolta: l'esito si registra dopo."))
    if not outcome.strip():
        raise RuleError(_("Descrivi l'esito del punto."))
    if target is not None:
        if item.proposal is None:
            raise RuleError(_("Un punto libero non ha una proposta di cui cambiare lo stato."))
        if item.outcome_state_id is not None:
            raise RuleError(_("Lo stato della proposta è già stato deciso in questo punto: modifica solo il testo dell'esito."))
        _move_proposal(item.proposal, target, reason, user, agenda_item=item)
        item.outcome_state_id = target.id
    changes = diff(item, ["outcome"], {"outcome": outcome})
    item.outcome = outcome
    item.decided_at = item.decided_at or utcnow()
    item.decided_by_id = user.id
    record("roundtable.outcome", item.roundtable, changes | {"item": item.label, "state": target.code if target else None})
    db.session.commit()


def save_minutes(roundtable: Roundtable, minutes: str) -> None:
    if not roundtable.is_past():
        raise RuleError(_("Il verbale si scrive dopo l'inizio della seduta."))
    if roundtable.minutes_approved:
        raise RuleError(_("Il verbale è approvato: per correggerlo riaprilo, e le parti riceveranno la nuova versione."))
    record("roundtable.minutes", roundtable, {"length": [len(roundtable.minutes), len(minutes)]})
    roundtable.minutes = minutes
    db.session.commit()


def circulate_minutes(roundtable: Roundtable, comments_until: date, user) -> None:
    """The draft minutes go to the parties, who may comment until the given day."""
    if not roundtable.minutes.strip():
        raise RuleError(_("Scrivi la bozza del verbale prima di inviarla alle parti."))
    if roundtable.minutes_approved:
        raise RuleError(_("Il verbale è già approvato."))
    if comments_until < date.today():
        raise RuleError(_("La data per le osservazioni non può essere già passata."))
    record("roundtable.minutes_circulate", roundtable, {"comments_until": comments_until.isoformat()})
    roundtable.minutes_status, roundtable.minutes_comments_until = MINUTES_IN_REVIEW, comments_until
    _send_minutes(roundtable, approved=False)
    db.session.commit()


def comment_minutes(roundtable: Roundtable, text: str, author: str, user=None, invitation=None) -> MinutesComment:
    """A party's comment on the draft minutes, by a member company's user or through a personal link."""
    if not roundtable.minutes_in_review:
        raise RuleError(_("Il verbale non è aperto alle osservazioni."))
    if roundtable.minutes_comments_until and date.today() > roundtable.minutes_comments_until:
        raise RuleError(_("Il termine per le osservazioni è scaduto il %(date)s.", date=roundtable.minutes_comments_until.strftime("%d/%m/%Y")))
    if not text.strip():
        raise RuleError(_("Scrivi l'osservazione."))
    comment = MinutesComment(roundtable=roundtable, text=text.strip(), author=author, user_id=getattr(user, "id", None),
                             invitation_id=getattr(invitation, "id", None))
    db.session.add(comment)
    record("roundtable.minutes_comment", roundtable, {"author": author}, actor=user)
    db.session.commit()
    return comment


def approve_minutes(roundtable: Roundtable, user) -> None:
    """The minutes become final, for every party to read."""
    if not roundtable.minutes.strip():
        raise RuleError(_("Il verbale è vuoto."))
    if roundtable.minutes_approved:
        raise RuleError(_("Il verbale è già approvato."))
    record("roundtable.minutes_approve", roundtable, {"comments": len(roundtable.comments)})
    roundtable.minutes_status, roundtable.minutes_approved_at, roundtable.minutes_approved_by_id = MINUTES_APPROVED, utcnow(), user.id
    _send_minutes(roundtable, approved=True)
    db.session.commit()


def reopen_minutes(roundtable: Roundtable) -> None:
    if not roundtable.minutes_approved:
        raise RuleError(_("Il verbale non è approvato."))
    record("roundtable.minutes_reopen", roundtable, {})
    roundtable.minutes_status, roundtable.minutes_approved_at, roundtable.minutes_approved_by_id = MINUTES_DRAFT, None, None
    db.session.commit()


def add_action(item: AgendaItem, data: dict) -> FollowUpAction:
    values = pick(data, ACTION_FIELDS)
    if values["owner_id"] not in {p.organisation_id for p in item.roundtable.parties}:
        raise RuleError(_("Il responsabile deve essere una delle parti del tavolo."))
    action = FollowUpAction(item=item, **values)
    db.session.add(action)
    record("roundtable.action_add", item.roundtable, values | {"item": item.label})
    db.session.commit()
    return action


def update_action(action: FollowUpAction, status: str, progress: int, note: str, user) -> ActionUpdate:
    """A step of an action: its status and percent, with a note; done means 100%."""
    if status not in ACTION_STATUSES:
        raise RuleError(_("Stato dell'azione non valido."))
    if status == BLOCKED and not note.strip():
        raise RuleError(_("Spiega perché l'azione è bloccata: chi la segue deve sapere che cosa manca."))
    progress = 100 if status == DONE else min(progress, 99)  # 100% is done, and done is 100%
    if status == action.status and progress == action.progress and not note.strip():
        raise RuleError(_("Niente da registrare: cambia lo stato o l'avanzamento, oppure scrivi una nota."))
    changes = {"status": [action.status, status], "progress": [action.progress, progress]}
    action.status, action.progress = status, progress
    action.done_at, action.done_by_id = (utcnow(), user.id) if status == DONE else (None, None)
    update = ActionUpdate(action=action, by_id=user.id, status=status, progress=progress, note=note.strip())
    db.session.add(update)
    record("roundtable.action_update", action.item.roundtable, changes | {"action": action.description, "note": note.strip()})
    db.session.commit()
    return update


def add_document(roundtable: Roundtable, upload, title: str, user) -> RoundtableDocument:
    document = _attach_file(RoundtableDocument, upload, title, user, "roundtable.document", roundtable, roundtable=roundtable)
    db.session.commit()
    return document


def overdue_actions_count(today: date | None = None) -> int:
    return db.session.scalar(
        select(func.count()).select_from(FollowUpAction)
        .where(FollowUpAction.status != DONE, FollowUpAction.due_date < (today or date.today()))
    )


ACTION_REMINDER_AHEAD = timedelta(days=7)  # remind the owner a week before the due date, then weekly while late


def send_action_reminders(today: date | None = None) -> int:
    """E-mail the owner party's contacts about each open action due within a week or late, at most once a week."""
    today = today or date.today()
    week_ago = utcnow() - timedelta(days=7)
    due = db.session.scalars(
        select(FollowUpAction).where(FollowUpAction.status != DONE, FollowUpAction.due_date <= today + ACTION_REMINDER_AHEAD)
        .where((FollowUpAction.reminded_at.is_(None)) | (FollowUpAction.reminded_at < week_ago))
    ).all()
    for action in due:
        late = action.due_date < today
        subject = (_("Azione in ritardo: «%(description)s»", description=action.description) if late
                   else _("Azione in scadenza il %(date)s: «%(description)s»", date=action.due_date.strftime("%d/%m/%Y"),
                          description=action.description))
        for contact in action.owner.active_contacts:
            queue_mail(contact.email, subject, "reshoring/action_reminder.txt", action=action, contact=contact, late=late)
        action.reminded_at = utcnow()
    db.session.commit()
    return len(due)


@periodic("reshoring.action_reminders", crontab(hour=7, minute=10))
def remind_action_owners() -> None:
    """Celery beat reminds the owners of the actions every morning (each action at most once a week)."""
    send_action_reminders()
