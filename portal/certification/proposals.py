"""Suspension proposals: a failed surveillance, a surveillance the company never sent, a major
non-conformity left open past its due date. The certificate stays as it is until a staff member
decides: suspend (with the internal reason and the public statement, previewed) or dismiss."""

from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit import record
from portal.certification.models import (
    Certificate,
    CertStatus,
    NonConformity,
    ProposalStatus,
    StatusCause,
    SurveillanceReview,
    SuspensionProposal,
)
from portal.certification.notify import tell
from portal.certification.statements import CAUSES
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import User
from portal.members.recipients import active_staff
from portal.rules import RuleError
from portal.urls import absolute_url


def open_proposals(certificate: Certificate) -> list[SuspensionProposal]:
    return [p for p in certificate.proposals if p.status == ProposalStatus.OPEN]


def propose(certificate: Certificate, cause: StatusCause, detail: str, review: SurveillanceReview | None = None,
            nonconformity: NonConformity | None = None) -> SuspensionProposal | None:
    """Put a suspension proposal before staff, once per cause and source (the caller commits)."""
    if certificate.current_status != CertStatus.ACTIVE:
        return None
    for proposal in open_proposals(certificate):
        if (proposal.cause, proposal.review_id, proposal.nonconformity_id) == (
                cause, getattr(review, "id", None), getattr(nonconformity, "id", None)):
            return proposal
    proposal = SuspensionProposal(certificate=certificate, cause=cause, detail=detail, review=review, nonconformity=nonconformity)
    db.session.add(proposal)
    db.session.flush()
    record("bollino.proposal.open", proposal, {"cause": cause, "detail": detail})
    tell(active_staff(), _("Proposta di sospensione: certificato %(n)s", n=certificate.number),
         _("Causa: %(c)s. Decidete se sospendere il certificato (con la dichiarazione pubblica) o archiviare la proposta.",
           c=CAUSES[cause]), absolute_url("certification.certificate", certificate_id=certificate.id), detail)
    return proposal


def resolve(proposal: SuspensionProposal, staff: User, accepted: bool, note: str) -> None:
    """Mark the proposal decided (the caller commits; a suspension goes through certificates.change_status)."""
    if proposal.status != ProposalStatus.OPEN:
        raise RuleError(_("Questa proposta è già stata decisa."))
    proposal.status = ProposalStatus.ACCEPTED if accepted else ProposalStatus.DISMISSED
    proposal.resolved_by_id, proposal.resolved_at, proposal.resolution_note = staff.id, utcnow(), note.strip()
    record("bollino.proposal.accept" if accepted else "bollino.proposal.dismiss", proposal, {"note": note}, actor=staff)


def dismiss(proposal: SuspensionProposal, staff: User, note: str) -> None:
    if not (note or "").strip():
        raise RuleError(_("Scrivi perché la proposta di sospensione è archiviata."))
    resolve(proposal, staff, False, note)
    db.session.commit()


def pending_count() -> int:
    return len(db.session.scalars(select(SuspensionProposal.id).where(SuspensionProposal.status == ProposalStatus.OPEN)).all())
