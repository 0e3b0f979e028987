"""Who is taking part in a consultation, on this request: a member company's user, an outside
party signed in with a consultation account, or a person who opened a personal link (kept in the
session: the link opens this consultation only, and no other page of the portal)."""

from dataclasses import dataclass

from flask import abort, session
from flask_login import current_user

from portal.certification.consultation import links
from portal.certification.consultation.models import Access, Comment, Consultation, ConsultationState, Participant
from portal.extensions import db, login_manager

SESSION_KEY = "consultation_links"  # participant ids whose personal link was opened in this session


@dataclass(frozen=True)
class Participation:
    """One person speaking for one invited organisation."""

    participant: Participant
    user: object | None  # None for a personal link
    name: str

    @property
    def can_send(self) -> bool:
        """A member company's comments are consolidated and sent by its administrator; an outside
        party's person sends their own."""
        return self.participant.access != Access.COMPANY or self.user.is_company_admin

    def owns(self, comment: Comment) -> bool:
        return comment.participant_id == self.participant.id


def remember_link(participant: Participant) -> None:
    opened = [i for i in session.get(SESSION_KEY, []) if i != participant.id]
    session[SESSION_KEY] = [*opened, participant.id][-10:]


def _linked(consultation: Consultation) -> Participant | None:
    for participant_id in session.get(SESSION_KEY, []):
        participant = db.session.get(Participant, participant_id)
        if participant is not None and participant.consultation_id == consultation.id and links.is_open(participant):
            return participant
    return None


def participation_in(consultation: Consultation) -> Participation | None:
    """The current person's participation, or None. Nobody takes part before the launch."""
    if consultation.state == ConsultationState.PREPARING:
        return None
    if current_user.is_authenticated:
        participant = next((p for p in consultation.participants if p.includes(current_user)), None)
        return Participation(participant, current_user, current_user.name) if participant else None
    participant = _linked(consultation)
    if participant is None:
        return None
    return Participation(participant, None, participant.contact_name or participant.organisation)


def linked_consultations() -> list[int]:
    """Ids of the consultations this session holds a personal link to."""
    found = []
    for participant_id in session.get(SESSION_KEY, []):
        participant = db.session.get(Participant, participant_id)
        if participant is not None and links.is_open(participant):
            found.append(participant.consultation_id)
    return found


def refuse():
    """Anonymous visitors sign in (their account may be invited); others learn nothing (404)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(404)


def participation_or_refuse(consultation: Consultation) -> Participation:
    participation = participation_in(consultation)
    if participation is None:
        refuse()
    return participation


def participant_of(consultation: Consultation, participant_id: int) -> Participant:
    participant = db.get_or_404(Participant, participant_id)
    if participant.consultation_id != consultation.id:
        abort(404)
    return participant
