"""A proposal's journey as one timeline, on its page, for staff, members and the public."""

from datetime import date, timedelta
from html import unescape

from portal.access import Role
from portal.database import utcnow
from portal.reshoring.models import AgendaItem, Brief, BriefIssue, FollowUpAction, Organisation, Support
from tests.sessions import sign_in


def test_the_journey_of_a_proposal(client, db, make_company, make_user, make_proposal, make_roundtable, workflow, staff):
    proposal = make_proposal("in_discussione", public=True)
    named, hidden = make_company(name="Voce Chiara S.p.A."), make_company(name="Riservata S.r.l.")
    past, upcoming = make_roundtable(days_from_now=-20, title="Tavolo di febbraio"), make_roundtable(days_from_now=12, title="Tavolo di marzo")
    ministry = Organisation(kind="ministero", name="Ministero del Lavoro")
    decided = AgendaItem(roundtable_id=past.id, proposal_id=proposal.id, position=1, outcome="Approfondire con i committenti",
                         outcome_state_id=workflow["in_discussione"].id, decided_at=utcnow() - timedelta(days=20))
    db.session.add(decided)
    brief = Brief(title="Dossier di febbraio", roundtable=past)
    db.session.add_all([ministry, brief, AgendaItem(roundtable_id=upcoming.id, proposal_id=proposal.id, position=1),
                        Support(proposal_id=proposal.id, company_id=named.id, fte=80, named=True),
                        Support(proposal_id=proposal.id, company_id=hidden.id, fte=40)])
    db.session.flush()
    db.session.add_all([
        FollowUpAction(item=decided, description="Stimare il costo", owner=ministry, due_date=date.today() + timedelta(days=10),
                       status="in_corso", progress=45),  # (45 + 100) / 2 = 72,5: 73 % half up, as every figure
        FollowUpAction(item=decided, description="Convocare i committenti", owner=ministry, due_date=date.today() - timedelta(days=2),
                       status="fatta", progress=100),
        BriefIssue(brief=brief, version=1, protocol="AC-RS/2026/0001", title="Dossier di febbraio", status="emesso",
                   proposals=[proposal]),
        BriefIssue(brief=brief, version=2, protocol="AC-RS/2026/0002", title="Dossier mai finito", status="non_riuscito",
                   proposals=[proposal]),
    ])
    db.session.commit()

    sign_in(client, staff)
    page = unescape(client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True))
    assert "Il percorso della proposta" in page
    assert "All'ordine del giorno del tavolo «Tavolo di marzo»" in page and "in programma" in page
    assert "Al tavolo «Tavolo di febbraio»: «In discussione»" in page and "Approfondire con i committenti" in page
    assert "Stimare il costo" in page and "Responsabile: Ministero del Lavoro" in page
    assert "2 azioni decise ai tavoli; concluse: 1." in page and "avanzamento medio 73\u00a0%" in page
    assert "Nel dossier «Dossier di febbraio»" in page and "AC-RS/2026/0001" in page and "AC-RS/2026/0002" not in page
    assert "Aderisce Riservata S.r.l." in page  # staff know who supports
    assert page.index("Tavolo di marzo") < page.index("Tavolo di febbraio")  # upcoming first, then newest first

    sign_in(client, make_user(Role.APPLICANT, make_company(name="Terza S.r.l.")))
    page = unescape(client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True))
    assert "Aderisce Voce Chiara S.p.A." in page and "Riservata" not in page and "Aderisce un'azienda associata" in page

    sign_in(client, None)
    page = unescape(client.get(f"/reshoring/proposte-pubbliche/{proposal.id}").get_data(as_text=True))
    assert "Stimare il costo" in page and "avanzamento medio 73\u00a0%" in page  # the public sees how far the actions got
    assert "Riservata" not in page and "Aderisce Voce Chiara S.p.A." in page
    # its figures say where they come from, as in the brief
    assert f"<strong>Fonte:</strong> stime della proposta «{proposal.title}»" in page
    assert "<strong>Fonte:</strong> adesioni delle aziende associate sul portale Assocontact" in page
    assert f'href="/reshoring/tavoli/{past.id}"' not in page
