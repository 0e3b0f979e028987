"""Staff prepare a roundtable, record its outcome and bring the brief, in a real browser."""

from datetime import date, timedelta

from portal.access import Role
from portal.extensions import db
from portal.reshoring import services
from portal.reshoring.models import Proposal, ProposalStateChange
from tests.browser.conftest import axe_violations, login, screenshot


def presented_proposal(staff) -> Proposal:
    services.ensure_workflow()
    state = services.state_by_code("in_discussione")
    proposal = Proposal(title="Credito d'imposta per ogni FTE riportato", summary="Sintesi della **proposta**", measure="- credito",
                        addressees=["mimit"], fte_reshored=1500, from_countries=["AL"], to_regions=["Calabria"], state=state,
                        author_id=staff.id)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalStateChange(proposal=proposal, to_state_id=state.id, by_id=staff.id))
    db.session.commit()
    return proposal


def test_staff_roundtable_outcome_and_brief(page, make_user, app):
    staff = make_user(Role.STAFF, email="staff@example.it", name="Sara Staff")
    proposal = presented_proposal(staff)
    login(page, staff.email)

    page.get_by_role("link", name="Tavoli").first.click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nuovo tavolo").click()
    page.get_by_label("Titolo").fill("Tavolo tecnico sul reshoring")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.get_by_label("Inizio").fill(f"{yesterday}T10:00")
    page.get_by_label("Convocato da").fill("Ministero delle Imprese e del Made in Italy")
    page.get_by_role("button", name="Salva").click()
    # Neither place nor link: the message stands beside the place, the title is kept.
    assert "Indica il luogo oppure il collegamento" in page.locator("#place-error").inner_text()
    assert page.get_by_label("Titolo").input_value() == "Tavolo tecnico sul reshoring"
    page.get_by_label("Luogo").fill("Roma, via Molise 2")
    page.get_by_role("button", name="Salva").click()
    page.get_by_text("Tavolo salvato.").wait_for()

    page.get_by_label("Tipo di parte").select_option("sindacato")
    page.get_by_label("Nome").fill("SLC-CGIL")
    page.get_by_role("button", name="Invita").click()
    page.get_by_label("Proposta", exact=True).select_option(str(proposal.id))
    page.get_by_role("button", name="Aggiungi", exact=True).click()
    assert axe_violations(page) == []

    page.get_by_label("Esito").fill("Accolta per il solo Mezzogiorno")
    page.get_by_label("La proposta passa a").select_option(label="Accolta in parte")
    page.get_by_role("button", name="Salva l'esito").click()
    assert "indica il motivo" in page.locator("[id='item1-reason-error'], .invalid-feedback").first.inner_text()
    assert page.get_by_label("Esito").input_value() == "Accolta per il solo Mezzogiorno"
    page.get_by_label("La proposta passa a").select_option(label="Accolta in parte")
    page.get_by_label("Motivo").fill("Solo per le regioni del Mezzogiorno")
    page.get_by_role("button", name="Salva l'esito").click()
    page.get_by_text("Esito registrato.").wait_for()
    screenshot(page, "reshoring-roundtable")

    page.get_by_role("link", name="Credito d'imposta per ogni FTE riportato").first.click()
    page.get_by_text("Deciso al tavolo «Tavolo tecnico sul reshoring»").wait_for()
    assert "Accolta in parte" in page.locator(".badge-state").first.inner_text()

    page.go_back()
    page.get_by_role("link", name="Prepara il dossier").click()
    page.get_by_label("La posizione dell'associazione").fill("Assocontact chiede **misure stabili**.")
    page.get_by_role("button", name="Salva e vedi l'anteprima").click()
    page.get_by_role("heading", name="3. Il quadro delle tariffe").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "reshoring-brief-preview")
    pdf = page.request.get(page.get_by_role("link", name="Scarica il PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
