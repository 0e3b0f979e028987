"""Proposals through the pages: drafting, transitions with reasons, public page, supports,
attachments, concurrent saves, and Markdown that never lets a script through."""

import io
from html import unescape

import pytest

from portal.access import Role
from portal.reshoring.models import Proposal, Support
from tests.conftest import wait_for

XSS = '<script>alert("xss")</script> [clicca](javascript:alert(1)) <img src=x onerror=alert(1)>'


def proposal_form(**values) -> dict:
    return {"title": "Credito d'imposta per FTE riportati", "summary": "Una **sintesi**", "measure": "- punto uno\n- punto due",
            "addressees": ["mimit"], "fte_reshored": "300", "from_countries": ["AL"], "to_regions": ["Calabria"],
            "yearly_volume": "100000", "volume_unit": "contatti", "state_cost": "1.500.000,50", "timeframe_months": "12",
            "impact_notes": ""} | values


def assert_no_script(page: str) -> None:
    assert "<script>alert" not in page and 'href="javascript' not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page  # shown as text


def test_company_admin_drafts_and_staff_are_told(client, auth, db, make_company, make_user, staff, workflow, smtp):
    company = make_company()
    admin = make_user(Role.COMPANY_ADMIN, company=company)
    auth.login(admin.email)
    response = client.post("/reshoring/proposte/nuova", data=proposal_form(), follow_redirects=True)
    proposal = db.session.query(Proposal).one()
    assert proposal.company_id == company.id and proposal.state.code == "bozza"
    assert proposal.state_cost == pytest.approx(1500000.50)
    page = response.get_data(as_text=True)
    assert "<strong>sintesi</strong>" in page and "<li>punto uno</li>" in page
    assert wait_for(lambda: smtp.to(staff.email))
    assert "Nuova proposta di reshoring" in smtp.last_to(staff.email)["Subject"]


def test_missing_fields_shown_beside_them(client, auth, staff, workflow, db):
    auth.login(staff.email)
    response = client.post("/reshoring/proposte/nuova", data=proposal_form(title="", timeframe_months="999"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in page and "Indica da 1 a 240 mesi." in page
    assert "Una **sintesi**" in page  # what was typed is still there
    assert db.session.query(Proposal).count() == 0


def test_reason_required_then_history_shows_it_publicly(client, auth, staff, make_proposal):
    proposal = make_proposal("in_discussione", public=True)
    auth.login(staff.email)
    respinta = next(s for s in proposal.state.targets if s.code == "respinta")
    response = client.post(f"/reshoring/proposte/{proposal.id}/stato", data={"state_id": respinta.id, "reason": "", "version": proposal.version})
    assert response.status_code == 422
    assert "Per passare a «Respinta» indica il motivo" in response.get_data(as_text=True)
    client.post(f"/reshoring/proposte/{proposal.id}/stato", data={"state_id": respinta.id, "reason": "Costi senza copertura", "version": proposal.version})
    auth.logout()
    page = client.get(f"/reshoring/proposte-pubbliche/{proposal.id}").get_data(as_text=True)
    assert "Respinta" in page and "Costi senza copertura" in page
    assert "Sara Staff" not in page  # the public page does not name staff


def test_transition_not_allowed_from_current_state(client, auth, staff, make_proposal, workflow):
    proposal = make_proposal("bozza")
    auth.login(staff.email)
    response = client.post(f"/reshoring/proposte/{proposal.id}/stato", data={"state_id": workflow["attuata"].id, "version": proposal.version})
    assert response.status_code == 422
    assert proposal.state.code == "bozza"


def test_publish_and_unpublish(client, auth, staff, make_proposal, db):
    draft, presented = make_proposal("bozza"), make_proposal("presentata", title="Premialità negli appalti")
    auth.login(staff.email)
    client.post(f"/reshoring/proposte/{draft.id}/pubblica", data={"public": "1"})
    client.post(f"/reshoring/proposte/{presented.id}/pubblica", data={"public": "1"})
    db.session.expire_all()
    assert (draft.public, presented.public) == (False, True)
    auth.logout()
    page = client.get("/reshoring/proposte-pubbliche").get_data(as_text=True)
    assert "Premialità negli appalti" in page and "Credito d&#39;imposta" not in page


def test_concurrent_save_second_is_told_and_keeps_input(client, auth, staff, make_proposal, db):
    proposal = make_proposal("presentata")
    auth.login(staff.email)
    opened_version = proposal.version
    first = client.post(f"/reshoring/proposte/{proposal.id}/modifica", data=proposal_form(title="Versione del primo", version=opened_version))
    assert first.status_code == 302
    second = client.post(f"/reshoring/proposte/{proposal.id}/modifica", data=proposal_form(title="Versione del secondo", version=opened_version))
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "qualcun altro ha salvato questa proposta" in page
    assert 'value="Versione del secondo"' in page and "Versione del primo" in page
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Versione del primo"
    # Having seen the other version, the second user saves on purpose.
    third = client.post(f"/reshoring/proposte/{proposal.id}/modifica", data=proposal_form(title="Versione del secondo", version=opened_version + 1))
    assert third.status_code == 302


def test_supports_show_outside_only_by_consent_or_in_totals_of_three(client, auth, db, make_company, make_user, make_proposal):
    proposal = make_proposal("presentata")
    companies = [make_company(name=f"Aderente {n} S.r.l.") for n in range(4)]
    db.session.add(Support(proposal=proposal, company_id=companies[0].id, fte=120, from_countries=["AL"], region_fte={"Calabria": 120}))
    db.session.commit()
    admin = make_user(Role.COMPANY_ADMIN, company=companies[1])
    auth.login(admin.email)
    response = client.post(f"/reshoring/proposte/{proposal.id}/adesione", data={
        "fte": "", "region_fte-12": "40", "region_fte-2": "20", "from_countries": ["RO"], "timeframe_months": "18", "conditions": XSS},
        follow_redirects=True)
    assert "Fuori dall&#39;associazione compariranno solo somme su almeno tre aziende." in response.get_data(as_text=True)
    support = proposal.support_of(companies[1].id)
    assert support.fte == 60 and support.region_fte == {"Puglia": 40, "Calabria": 20} and support.named is False
    page = client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True)
    assert "2 aziende aderiscono" in page and "Aderente 0" not in page and "180" not in page  # the other company stays hidden
    assert "L'adesione della tua azienda" in page and "60 FTE" in page
    assert_no_script(page)
    outsider = make_user(Role.APPLICANT, company=companies[3])
    auth.login(outsider.email)
    page = unescape(client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True))
    assert "2 aziende aderiscono" in page and "Altre 2" not in page  # nobody named: not "two more"
    assert "Le 2 aziende aderiscono senza essere nominate: essendo meno di tre, i loro dati restano riservati." in page
    auth.login(admin.email)
    client.post(f"/reshoring/proposte/{proposal.id}/adesione/consenso", data={"named": "1"})
    db.session.expire_all()
    assert proposal.support_of(companies[1].id).named is True
    auth.login(outsider.email)
    page = client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True)
    assert "Aderente 1 S.r.l." in page and "Aderente 0 S.r.l." not in page
    assert "Un'altra azienda aderisce senza essere nominata: i suoi dati restano riservati." in page
    auth.login(admin.email)
    client.post(f"/reshoring/proposte/{proposal.id}/adesione/ritira")
    db.session.expire_all()
    assert len(proposal.supports) == 1


def test_a_region_total_that_disagrees_with_the_total_is_refused(client, auth, db, make_company, make_user, make_proposal):
    proposal = make_proposal("presentata")
    auth.login(make_user(Role.COMPANY_ADMIN, company=make_company()).email)
    response = client.post(f"/reshoring/proposte/{proposal.id}/adesione", data={"fte": "100", "region_fte-2": "20", "region_fte-7": "abc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Lombardia: indica un numero intero" not in page and "Liguria: indica un numero intero da 0 a 100.000." in page
    assert 'value="abc"' in page and proposal.supports == []


def test_no_support_for_closed_proposal(client, auth, make_company, make_user, make_proposal):
    proposal = make_proposal("respinta")
    auth.login(make_user(Role.COMPANY_ADMIN, company=make_company()).email)
    assert client.post(f"/reshoring/proposte/{proposal.id}/adesione", data={"fte": "5"}).status_code == 403


@pytest.mark.parametrize("field", ["summary", "measure", "impact_notes"])
def test_stored_xss_in_every_markdown_field_stays_text(client, auth, staff, workflow, db, field):
    auth.login(staff.email)
    client.post("/reshoring/proposte/nuova", data=proposal_form(**{field: XSS}))
    proposal = db.session.query(Proposal).one()
    client.post(f"/reshoring/proposte/{proposal.id}/stato", data={"state_id": workflow["presentata"].id, "version": proposal.version})
    client.post(f"/reshoring/proposte/{proposal.id}/pubblica", data={"public": "1"})
    for path in (f"/reshoring/proposte/{proposal.id}", f"/reshoring/proposte-pubbliche/{proposal.id}"):
        assert_no_script(client.get(path).get_data(as_text=True))


def test_xss_in_title_and_reason_is_escaped(client, auth, staff, make_proposal):
    proposal = make_proposal("in_discussione", title=XSS[:60])
    auth.login(staff.email)
    respinta = next(s for s in proposal.state.targets if s.code == "respinta")
    client.post(f"/reshoring/proposte/{proposal.id}/stato", data={"state_id": respinta.id, "reason": XSS, "version": proposal.version})
    assert_no_script(client.get(f"/reshoring/proposte/{proposal.id}").get_data(as_text=True))


def test_attachment_checked_stored_and_served_to_those_who_may_see(client, auth, staff, make_proposal, make_company, make_user, db):
    proposal = make_proposal("bozza")
    auth.login(staff.email)
    refused = client.post(f"/reshoring/proposte/{proposal.id}/allegati",
                          data={"title": "Script", "file": (io.BytesIO(b"<html><script>x</script></html>"), "nota.pdf")})
    assert refused.status_code == 422 and "Tipo di file non ammesso" in refused.get_data(as_text=True)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"/reshoring/proposte/{proposal.id}/allegati", data={"title": "Stima dei costi", "file": (io.BytesIO(pdf), "stima.pdf")})
    attachment = proposal.attachments[0]
    assert client.get(f"/reshoring/allegati/{attachment.id}").data == pdf
    auth.logout()
    assert client.get(f"/reshoring/allegati/{attachment.id}").status_code == 404  # a draft, not public


def test_tampered_version_is_a_conflict_not_an_error(client, auth, staff, make_proposal):
    proposal = make_proposal("presentata")
    auth.login(staff.email)
    response = client.post(f"/reshoring/proposte/{proposal.id}/modifica", data=proposal_form(version="abc"))
    assert response.status_code == 409
