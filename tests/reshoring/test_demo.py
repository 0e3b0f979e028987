"""The demo world: every state, past and upcoming sessions, complete and incomplete notices."""

from portal.extensions import db
from portal.members.demo import seed_members
from portal.reshoring.demo import seed_reshoring
from portal.reshoring.models import Proposal, ProposalState, Roundtable, SectorFigure, Support, WorkAbroad
from portal.reshoring.stats import company_notice_status


def test_demo_covers_the_module_and_runs_twice(app):
    seed_members()
    seed_reshoring()
    db.session.commit()
    assert seed_reshoring() == ["Reshoring: dati dimostrativi già presenti."]
    db.session.commit()

    states = {s.code for s in db.session.query(ProposalState)}
    used = {p.state.code for p in db.session.query(Proposal)}
    assert used == states
    assert all(p.supports for p in db.session.query(Proposal) if p.state.code in ("accolta_in_parte", "in_discussione", "presentata"))

    roundtables = db.session.query(Roundtable).order_by(Roundtable.starts_at).all()
    past = [r for r in roundtables if r.is_past()]
    assert len(past) == 2 and len(roundtables) == 3
    assert all(r.minutes and any(i.decided_at for i in r.items) for r in past)
    assert any(a.is_overdue() for r in past for i in r.items for a in i.actions)

    records = db.session.query(WorkAbroad).all()
    assessments = [r.assessment() for r in records]
    assert any(not a.pending for a in assessments) and any(a.pending for a in assessments)
    assert any(a.ended for a in assessments) and any(not a.applies for a in assessments)
    found = {f.obligation.split("_")[0] for a in assessments for f in a.findings}
    assert {"notice", "callers", "italy", "client"} <= found  # every obligation has a case in the demo
    assert {company_notice_status(r.company_id)["complete"] for r in records} == {False, True}
    assert all(f.source for f in db.session.query(SectorFigure))
    assert db.session.query(SectorFigure).count() == 9
    assert db.session.query(SectorFigure).filter_by(key="addetti_settore").one().kind == "riportato"

    supports = db.session.query(Support).all()
    assert any(s.named for s in supports) and any(not s.named for s in supports)
    upcoming = roundtables[-1]
    assert {i.status for i in upcoming.invitations} == {"invitato", "partecipa", "non_partecipa", "delegato"}
    assert {p.organisation.company_id is not None for p in upcoming.parties} == {True, False}
    assert {r.minutes_status for r in past} == {"approvato", "in_revisione"}
    assert {a.status for r in past for i in r.items for a in i.actions} == {"da_fare", "in_corso", "fatta", "bloccata"}
