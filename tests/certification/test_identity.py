"""A certified company renames itself: the register keeps the certified name until staff approve.
(The issue's finding: a company admin renamed a certified company and the public JSON showed the
new, uncertified name at once.)"""

import pytest

from portal.certification import identity, services
from portal.certification.models import Certificate, ChangeStatus, IdentityChange, Outcome
from portal.extensions import db
from portal.members.models import Company, Site
from tests.members.data import partita_iva
from tests.sessions import sign_in


@pytest.fixture
def certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    return Certificate.query.one()


def company_form(company: Company, **changes) -> dict:
    fields = ("ragione_sociale", "partita_iva", "codice_fiscale", "pec", "indirizzo", "cap", "comune", "provincia", "regione")
    return {f: getattr(company, f) for f in fields} | changes


def site_form(site: Site, **changes) -> dict:
    return {"name": site.name, "indirizzo": site.indirizzo, "comune": site.comune, "country": site.country,
            "regione": site.regione or "", "seats": str(site.seats), "operators": str(site.operators),
            "channels": list(site.channels)} | changes


def register_record(client, certificate) -> dict:
    sign_in(client, None)
    return client.get(f"/bollino/registro/{certificate.number}.json").get_json()


def test_a_company_admin_renaming_a_certified_company_waits_for_staff(client, world, certificate):
    sign_in(client, world.company_admin)
    new_vat = partita_iva(77)
    response = client.post(f"/soci/aziende/{world.company.id}/modifica", follow_redirects=True,
                           data=company_form(world.company, ragione_sociale="Voce Nuova S.p.A.", partita_iva=new_vat,
                                             pec="nuova@pec.example.it"))
    page = response.get_data(as_text=True)
    assert "attende l&#39;approvazione dello staff" in page and "Voce Nuova S.p.A." in page  # the notice shows the request

    db.session.expire_all()
    company = db.session.get(Company, world.company.id)
    assert company.ragione_sociale == "Qualità Voce S.r.l." and company.pec == "nuova@pec.example.it"  # the rest is saved
    record = register_record(client, certificate)
    assert record["company"] == "Qualità Voce S.r.l." and record["partita_iva"] == world.company.partita_iva
    assert "Voce Nuova" not in client.get("/bollino/registro.json?q=Voce").get_data(as_text=True)

    change = IdentityChange.query.one()
    assert change.status == ChangeStatus.PENDING
    assert change.changes == {"ragione_sociale": ["Qualità Voce S.r.l.", "Voce Nuova S.p.A."],
                              "partita_iva": [world.company.partita_iva, new_vat]}
    sign_in(client, world.staff)
    assert "Voce Nuova S.p.A." in client.get("/bollino/identita").get_data(as_text=True)
    assert client.post(f"/bollino/identita/{change.id}/approva").status_code == 302

    record = register_record(client, certificate)
    assert record["company"] == "Voce Nuova S.p.A." and record["partita_iva"] == new_vat
    assert "Voce Nuova S.p.A." in certificate.events[-1].reason


def test_staff_refuse_with_a_reason_and_the_register_keeps_the_certified_name(client, world, certificate, smtp):
    sign_in(client, world.company_admin)
    client.post(f"/soci/aziende/{world.company.id}/modifica", data=company_form(world.company, ragione_sociale="Altro Nome S.r.l."))
    change = IdentityChange.query.one()
    sign_in(client, world.staff)
    empty = client.post(f"/bollino/identita/{change.id}/rifiuta", data={f"refuse-{change.id}-note": ""})
    assert empty.status_code == 422
    client.post(f"/bollino/identita/{change.id}/rifiuta", data={f"refuse-{change.id}-note": "Manca la visura camerale."})
    db.session.expire_all()
    assert db.session.get(IdentityChange, change.id).status == ChangeStatus.REFUSED
    assert register_record(client, certificate)["company"] == "Qualità Voce S.r.l."
    assert db.session.get(Company, world.company.id).ragione_sociale == "Qualità Voce S.r.l."


def test_a_company_without_a_certificate_in_force_changes_its_name_at_once(client, world):
    sign_in(client, world.company_admin)
    client.post(f"/soci/aziende/{world.company.id}/modifica", data=company_form(world.company, ragione_sociale="Subito S.r.l."))
    db.session.expire_all()
    assert db.session.get(Company, world.company.id).ragione_sociale == "Subito S.r.l."
    assert IdentityChange.query.count() == 0


def test_staff_editing_a_certified_company_update_its_certificates(client, world, certificate):
    sign_in(client, world.staff)
    client.post(f"/soci/aziende/{world.company.id}/modifica", data=company_form(world.company, ragione_sociale="Rettifica S.r.l."))
    assert register_record(client, certificate)["company"] == "Rettifica S.r.l."
    assert IdentityChange.query.count() == 0


def test_a_certified_site_rename_and_removal_wait_for_staff(client, world, certificate):
    site = certificate.sites[0]
    sign_in(client, world.company_admin)
    client.post(f"/soci/sedi/{site.id}/modifica", data=site_form(site, name="Sede nuova", operators="150"))
    db.session.expire_all()
    site = db.session.get(Site, site.id)
    assert site.name == "Sede 1" and site.operators == 150  # the headcount is not on the certificate
    assert register_record(client, certificate)["sites"][0]["name"] == "Sede 1"

    sign_in(client, world.company_admin)
    response = client.post(f"/soci/sedi/{certificate.sites[1].id}/elimina", follow_redirects=True)
    assert "attende l&#39;approvazione dello staff" in response.get_data(as_text=True)
    assert len(register_record(client, certificate)["sites"]) == 2

    rename, removal = IdentityChange.query.order_by(IdentityChange.id).all()
    identity.approve(rename, world.staff)
    identity.approve(removal, world.staff)
    record = register_record(client, certificate)
    assert [s["name"] for s in record["sites"]] == ["Sede nuova"]
    assert db.session.get(IdentityChange, removal.id).status == ChangeStatus.APPROVED  # kept after its site is gone


def test_an_edit_after_a_pending_one_updates_the_same_request(client, world, certificate):
    sign_in(client, world.company_admin)
    client.post(f"/soci/aziende/{world.company.id}/modifica", data=company_form(world.company, ragione_sociale="Primo S.r.l."))
    client.post(f"/soci/aziende/{world.company.id}/modifica", data=company_form(world.company, ragione_sociale="Secondo S.r.l."))
    change = IdentityChange.query.one()
    assert change.changes["ragione_sociale"] == ["Qualità Voce S.r.l.", "Secondo S.r.l."]
