"""Proposal states: allowed moves, required reasons, history with who, when, why."""

import pytest
from sqlalchemy import update

from portal.access import Role
from portal.audit import AuditEntry
from portal.concurrency import ConflictError
from portal.reshoring import services
from portal.reshoring.models import Proposal, ProposalState, Support
from portal.reshoring.workflow import check_transition
from portal.rules import RuleError
from tests.conftest import wait_for


def test_defaults(workflow):
    assert list(workflow) == ["bozza", "presentata", "in_discussione", "accolta", "accolta_in_parte", "respinta", "attuata"]
    assert workflow["bozza"].is_initial
    assert {c for c, s in workflow.items() if s.requires_reason} == {"respinta", "accolta_in_parte"}


def test_move_not_allowed_lists_the_possible_ones(workflow):
    with pytest.raises(RuleError, match="Da «Bozza» non si può passare a «Accolta». Stati possibili: «Presentata»"):
        check_transition(workflow["bozza"], workflow["accolta"], "")


@pytest.mark.parametrize("target", ["respinta", "accolta_in_parte"])
def test_reason_required(workflow, target):
    with pytest.raises(RuleError, match="indica il motivo"):
        check_transition(workflow["in_discussione"], workflow[target], "   ")
    assert check_transition(workflow["in_discussione"], workflow[target], "  Costi non coperti  ") == "Costi non coperti"


def test_reason_optional_elsewhere(workflow):
    assert check_transition(workflow["in_discussione"], workflow["accolta"], "") == ""


def test_change_records_history_and_mails_the_supporters(db, workflow, make_proposal, make_company, make_user, staff, smtp):
    company = make_company()
    admin = make_user(Role.COMPANY_ADMIN, company=company)
    proposal = make_proposal("in_discussione")
    db.session.add(Support(proposal=proposal, company_id=company.id, fte=40))
    db.session.commit()
    services.change_proposal_state(proposal, workflow["respinta"], "Manca la copertura finanziaria", staff, proposal.version)
    last = proposal.history[-1]
    assert (last.from_state.code, last.to_state.code, last.by_id, last.reason) == ("in_discussione", "respinta", staff.id, "Manca la copertura finanziaria")
    assert wait_for(lambda: smtp.to(admin.email))
    assert "Manca la copertura finanziaria" in smtp.body(smtp.last_to(admin.email))


def test_staff_defined_state_and_moves(db, workflow):
    state = services.save_state(None, {"code": "sospesa", "label": "Sospesa", "position": 65, "requires_reason": True,
                                       "is_initial": False, "is_closed": False}, [workflow["in_discussione"].id])
    assert [t.code for t in state.targets] == ["in_discussione"]
    with pytest.raises(RuleError, match="non si può passare"):
        check_transition(workflow["in_discussione"], state, "In attesa del decreto")
    services.save_state(workflow["in_discussione"], {"code": "in_discussione", "label": "In discussione", "position": 20,
                        "requires_reason": False, "is_initial": False, "is_closed": False},
                        [t.id for t in workflow["in_discussione"].targets] + [state.id])
    with pytest.raises(RuleError, match="indica il motivo"):
        check_transition(workflow["in_discussione"], state, "")
    assert check_transition(workflow["in_discussione"], state, "In attesa del decreto") == "In attesa del decreto"


def test_only_one_initial_state(db, workflow):
    services.save_state(None, {"code": "idea", "label": "Idea", "position": 1, "requires_reason": False,
                               "is_initial": True, "is_closed": False}, [])
    assert [s.code for s in db.session.query(ProposalState).filter_by(is_initial=True)] == ["idea"]


def test_a_save_racing_another_is_refused_not_lost(db, make_proposal):
    """Both read version 1; the other commits first: this one's UPDATE finds no row and says so."""
    proposal = make_proposal("presentata")
    assert proposal.version == 1
    with db.engine.begin() as other:  # another request, another transaction
        other.execute(update(Proposal.__table__).where(Proposal.__table__.c.id == proposal.id)
                      .values(title="Salvata dall'altro", version=2))
    with pytest.raises(ConflictError):
        services.update_proposal(proposal, {"title": "La mia versione"}, 1)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Salvata dall'altro"


def test_every_change_is_audited(db, workflow, make_proposal, staff):
    proposal = make_proposal("in_discussione")
    services.change_proposal_state(proposal, workflow["accolta"], "", staff, proposal.version)
    services.set_public(proposal, True)
    entries = [(e.action, e.object_id) for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert entries == [("proposal.state", proposal.id), ("proposal.public", proposal.id)]
